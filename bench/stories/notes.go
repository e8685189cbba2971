package main

// NOTES is the hand-written part of the report; the figures it cites are
// the tables' above.
const NOTES = `## Notes

- NOTES PLACEHOLDER

`
