package storetest

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// ResetPeakRSS starts the process's peak resident memory (VmHWM) afresh
// from its current resident memory (Linux 4.0 and later), so that a
// benchmark's peak leaves out its fill.
func ResetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSSMB is the process's peak resident memory (VmHWM) in MB, or 0
// where /proc does not tell it.
func PeakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
