# ci/fnlen.awk - prints "file:line: name N" for every function of the C
# files it reads: N is the number of lines from the function's opening
# brace (a '{' at column 0, as clang-format's Linux style puts it) to
# its matching '}'. Braces are counted outside comments, string and
# character literals, so a '{' in a message or a comment does not
# shift the count. The name is the last word before '(' on the most
# recent line at depth 0 that starts with an identifier (the signature
# of this code base's style: type and name on one line).
function scan(s,    i, c, n, nx) {
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (incomment) {
			if (c == "*" && substr(s, i + 1, 1) == "/") {
				incomment = 0
				i++
			}
			continue
		}
		if (instr != "") {
			if (c == "\\")
				i++
			else if (c == instr)
				instr = ""
			continue
		}
		nx = substr(s, i + 1, 1)
		if (c == "/" && nx == "*") {
			incomment = 1
			i++
		} else if (c == "/" && nx == "/") {
			return
		} else if (c == "\"" || c == "'") {
			instr = c
		} else if (c == "{") {
			depth++
		} else if (c == "}") {
			depth--
		}
	}
}
FNR == 1 {
	depth = 0
	incomment = 0
	instr = ""
	infn = 0
	sig = "?"
}
{
	line = $0
	if (!infn && depth == 0 && !incomment && line ~ /^\{/) {
		infn = 1
		start = FNR
		name = sig
	}
	scan(line)
	instr = "" # a literal never spans lines in this code base
	if (!infn && depth == 0 && !incomment && line ~ /^[A-Za-z_].*\(/) {
		s = line
		sub(/\(.*/, "", s)
		n = split(s, w, /[ *]+/)
		sig = w[n]
	}
	if (infn && depth <= 0) {
		print FILENAME ":" start ": " name " " (FNR - start)
		infn = 0
		depth = 0
	}
}
