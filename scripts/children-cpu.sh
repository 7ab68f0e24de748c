# Sourced by scripts/test and .ci/run.
# CPU seconds (user + system) of this shell's finished children so far: bash's `times` (its second line), run in
# this shell (a command substitution would be a new shell, with no children), into the variable named by $1.
children_cpu() {
  local f; f="$(mktemp)"
  times >"$f"
  printf -v "$1" '%d' "$(tail -n 1 "$f" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } print int(t) }')"
  rm -f "$f"
}
