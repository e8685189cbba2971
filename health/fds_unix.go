//go:build unix

package health

import "syscall"

// fdBudget is how many connections the descriptor limit leaves room for:
// a quarter of it, the rest being the store's, the fetcher's and the
// platforms' (0: unknown).
func fdBudget() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil || r.Cur == 0 {
		return 0
	}
	return int(min(r.Cur/4, 1<<30))
}
