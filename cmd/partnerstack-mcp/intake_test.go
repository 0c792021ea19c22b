package main

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

func TestReadLineIsBounded(t *testing.T) {
	in := "short\n" + strings.Repeat("x", maxLine) + "\n" + strings.Repeat("y", maxLine+1) + "\n" + strings.Repeat("z", 3*maxLine) + "\nlast"
	br := bufio.NewReaderSize(strings.NewReader(in), 4096)
	for i, want := range []struct {
		n       int
		tooLong bool
		err     error
	}{{5, false, nil}, {maxLine, false, nil}, {0, true, nil}, {0, true, nil}, {4, false, io.EOF}} {
		line, tooLong, err := readLine(br)
		if len(line) != want.n || tooLong != want.tooLong || err != want.err {
			t.Errorf("line %d: %d bytes, tooLong %v, err %v; want %+v", i, len(line), tooLong, err, want)
		}
	}
}
