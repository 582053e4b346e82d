package console

import "fmt"

// diffLine is one line of a line diff: kept (' '), removed ('-') or added ('+'), with its
// 1-based numbers in the old and the new text (0 where it has none).
type diffLine struct {
	Op       byte
	Old, New int
	Text     string
}

// Class is the line's CSS class.
func (l diffLine) Class() string {
	switch l.Op {
	case '+':
		return "add"
	case '-':
		return "del"
	}
	return "same"
}

// Sign is the line's mark, as in a unified diff.
func (l diffLine) Sign() string { return string(l.Op) }

// maxDiffCells bounds the LCS table (lines changed in the old × in the new text): past it
// the changed middle is shown as removed then added, rather than costing the server
// hundreds of megabytes.
const maxDiffCells = 4 << 20

// diffLines is the edit script from a to b: a longest common subsequence of lines is kept,
// the rest removed or added. The common head and tail are matched first, so a small change
// to a large document costs little.
func diffLines(a, b []string) []diffLine {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	var out []diffLine
	for i := range head {
		out = append(out, diffLine{' ', i + 1, i + 1, a[i]})
	}
	out = append(out, lcsDiff(a[head:len(a)-tail], b[head:len(b)-tail], head)...)
	for i := range tail {
		ai, bi := len(a)-tail+i, len(b)-tail+i
		out = append(out, diffLine{' ', ai + 1, bi + 1, a[ai]})
	}
	return out
}

// lcsDiff diffs the middles a and b, which start after skip common lines.
func lcsDiff(a, b []string, skip int) []diffLine {
	n, m := len(a), len(b)
	var out []diffLine
	if n*m > maxDiffCells {
		for i, l := range a {
			out = append(out, diffLine{'-', skip + i + 1, 0, l})
		}
		for j, l := range b {
			out = append(out, diffLine{'+', 0, skip + j + 1, l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, diffLine{' ', skip + i + 1, skip + j + 1, a[i]})
			i, j = i+1, j+1
		case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, diffLine{'-', skip + i + 1, 0, a[i]})
			i++
		default:
			out = append(out, diffLine{'+', 0, skip + j + 1, b[j]})
			j++
		}
	}
	return out
}

// diffHunk is a run of changes with the kept lines around them, as a unified diff shows it.
type diffHunk struct {
	Header string
	Lines  []diffLine
}

// hunks groups a script into hunks with context kept lines around each change.
func hunks(script []diffLine, context int) []diffHunk {
	var out []diffHunk
	for i := 0; i < len(script); {
		if script[i].Op == ' ' {
			i++
			continue
		}
		start := max(0, i-context)
		end := i // one past the hunk's last change
		for k := i; k < len(script) && k <= end+2*context; k++ {
			if script[k].Op != ' ' {
				end = k + 1
			}
		}
		stop := min(len(script), end+context)
		out = append(out, diffHunk{Header: hunkHeader(script[start:stop]), Lines: script[start:stop]})
		i = stop
	}
	return out
}

// hunkHeader is "@@ -old,count +new,count @@".
func hunkHeader(ls []diffLine) string {
	oldStart, newStart, oldN, newN := 0, 0, 0, 0
	for _, l := range ls {
		if l.Old > 0 {
			if oldN == 0 {
				oldStart = l.Old
			}
			oldN++
		}
		if l.New > 0 {
			if newN == 0 {
				newStart = l.New
			}
			newN++
		}
	}
	return fmt.Sprintf("@@ -%d,%d +%d,%d @@", oldStart, oldN, newStart, newN)
}
