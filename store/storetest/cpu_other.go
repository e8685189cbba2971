//go:build !linux

package storetest

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
