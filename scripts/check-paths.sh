#!/usr/bin/env bash
# check-paths: no tracked file names a path that exists on one machine only, or a folder
# outside the repository (`make lint`). A clone must build and pass its tests from its own
# files; a comment that points into a folder a clone lacks sends its reader nowhere.
#
#   scripts/check-paths.sh [DIR]     the tracked files of the git repository at DIR
#                                    (default: this one); exit 1 naming FILE:LINE of each
#
# Flagged, in text files (binary files are skipped):
#   ../shared          the folder beside the repository on the project's own machines
#   /home/NAME, /Users/NAME        a user's home on one machine
#   /root/NAME, /work/NAME, /mnt/NAME, /media/NAME   root's files, one machine's folders
# Not flagged: the system's own paths, which every Debian has (/usr/share/fonts, /usr/bin,
# /etc, /var/cache/fresh-debian, /var/lib, /dev, /proc, /sys, /tmp, /run, /srv, /opt), a
# bare /root or /home, and paths after a variable ($ROOT/build, "$build/root").
# ALLOWED below lists the few lines that name such a path legitimately, each with why.
set -euo pipefail

dir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
git -C "$dir" rev-parse --git-dir >/dev/null 2>&1 ||
    { echo "check-paths: $dir is not a git repository" >&2; exit 2; }

b='(^|[^A-Za-z0-9_.$}~-])' # a path starts here: not inside a word or after a variable
name='[A-Za-z0-9_.-]+'
re="\.\./+shared(/|\b)|$b/(home|Users)/$name|$b/(root|work|mnt|media)/$name"

# FILE<TAB>ERE of the whole line<TAB>why it is legitimate
ALLOWED=$(
    cat <<'EOF'
.ci/fresh-debian	^    home=/home/dev$	the user account of the fresh Debian, inside its chroot
EOF
)

self=scripts/check-paths.sh # its own patterns would match
hits=$(cd "$dir" && git ls-files -z | grep -zv "^$self\$" |
    xargs -0 -r grep -s -I -n -H -E -- "$re" || true)
bad=$(printf '%s\n' "$hits" | awk -v allowed="$ALLOWED" '
    BEGIN { n = split(allowed, a, "\n"); for (i = 1; i <= n; i++) { split(a[i], f, "\t"); file[i] = f[1]; line[i] = f[2] } }
    NF == 0 { next }
    {
        p = index($0, ":"); fname = substr($0, 1, p - 1); rest = substr($0, p + 1)
        q = index(rest, ":"); text = substr(rest, q + 1)
        for (i = 1; i <= n; i++) if (fname == file[i] && text ~ line[i]) next
        print
    }')
if [ -n "$bad" ]; then
    printf '%s\n' "$bad" | sed 's/^/check-paths: /' >&2
    echo "check-paths: $(printf '%s\n' "$bad" | wc -l) line(s) name a path of one machine or a folder outside the repository: use the repository's own files (an environment variable may point elsewhere), or cite a page by its address" >&2
    exit 1
fi
echo "check-paths: $(cd "$dir" && git ls-files | wc -l) tracked files, no machine paths"
