package storyscore

import (
	"math"
	"testing"
)

func TestBCubed(t *testing.T) {
	gold := map[string]string{"a": "x", "b": "x", "c": "y", "d": "y"}
	if p, r, f := BCubed(map[string]int64{"a": 1, "b": 1, "c": 2, "d": 2}, gold); p != 1 || r != 1 || f != 1 {
		t.Errorf("perfect grouping: %v %v %v", p, r, f)
	}
	// All in one story: precision 1/2 for each doc, recall 1.
	p, r, f := BCubed(map[string]int64{"a": 1, "b": 1, "c": 1, "d": 1}, gold)
	if p != 0.5 || r != 1 || math.Abs(f-2.0/3) > 1e-12 {
		t.Errorf("one story: %v %v %v", p, r, f)
	}
	// Each alone: precision 1, recall 1/2.
	p, r, _ = BCubed(map[string]int64{"a": 1, "b": 2, "c": 3, "d": 4}, gold)
	if p != 1 || r != 0.5 {
		t.Errorf("singletons: %v %v", p, r)
	}
	if p, r, f := BCubed(nil, nil); p != 0 || r != 0 || f != 0 {
		t.Errorf("no docs: %v %v %v", p, r, f)
	}
}
