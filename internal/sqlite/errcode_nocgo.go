//go:build !cgo

package sqlite

// sqliteCode knows no codes without cgo: the driver is then a stub that opens nothing, and
// this build exists so that `GOOS=darwin|windows go vet` checks the per-OS files everywhere.
func sqliteCode(error) resultCode { return "" }
