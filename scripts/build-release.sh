#!/usr/bin/env bash
# Builds the release tarball immutalint-VERSION-linux-ARCH.tar.gz: a stripped immutalint that needs
# only the C library (libstdc++, libgcc, libyaml, RE2 and fmt linked in), the kubectl plugin, both
# man pages, the bash, zsh and fish completions, README, LICENSE, docs and examples, laid out as a
# prefix: `tar -xzf FILE -C /usr/local --strip-components=1` installs it.
#
# Usage: scripts/build-release.sh [--tree DIR] [--no-build] [OUTDIR]
#   OUTDIR      where the tarball and its .sha256 go (default: build-release)
#   --tree DIR  the CMake build tree (default: build-release/tree, configured Release without tests)
#   --no-build  pack what the tree already holds (targets immutalint_static and
#               immutalint_completions); the release test packs its own tree this way
# Environment: IMMUTALINT_HOMEPAGE (the project's address, compiled into SARIF reports) when the
# tree is configured; SOURCE_DATE_EPOCH (default: the last commit's time) dates the files, so the
# same sources give the same tarball. The path of the tarball is the last line printed.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  sed -n '7,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}
tree=
build=1
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --tree) [ $# -ge 2 ] || usage; tree=$2; shift 2 ;;
    --tree=*) tree=${1#--tree=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "build-release.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$out" ] || usage; out=$1; shift ;;
  esac
done
# OUTDIR and --tree are relative to the working directory; the defaults, to the checkout.
out=${out:-$source_dir/build-release}
tree=${tree:-$source_dir/build-release/tree}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ "$build" = 0 ] || mkdir -p "$tree"
tree=$(cd "$tree" && pwd)
cd "$source_dir"

if [ "$build" = 1 ]; then
  echo "== configuring $tree (Release, static release binary)" >&2
  cmake -S . -B "$tree" -DCMAKE_BUILD_TYPE=Release -DIMMUTALINT_BUILD_TESTS=OFF \
    -DIMMUTALINT_HOMEPAGE="${IMMUTALINT_HOMEPAGE:-}" >/dev/null
  echo "== building immutalint_static and the completions in $tree" >&2
  cmake --build "$tree" -j"$(nproc)" --target immutalint_static immutalint_completions >&2
fi
binary=$tree/immutalint-static
if [ ! -x "$binary" ]; then
  echo "build-release.sh: $binary is missing: build the target immutalint_static in $tree" \
    "(CMake names what it lacks: see 'No static release binary' in its output)" >&2
  exit 1
fi

# Only the C library's own objects may be needed at run time: anything else would tie the tarball
# to the distribution it was built on.
glibc='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux[-a-z0-9_.]*\.so\.[0-9]+)$'
needed=$(readelf -dW "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
if [ -n "$needed" ] && foreign=$(grep -Ev "$glibc" <<<"$needed"); then
  echo "build-release.sh: $binary needs libraries other than the C library's: ${foreign//$'\n'/ }" >&2
  exit 1
fi

version=$("$binary" --version | awk '{print $2}')
name=immutalint-$version-linux-$(uname -m)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
stage=$(mktemp -d "${TMPDIR:-/tmp}/immutalint-release.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/$name
echo "== packing $name" >&2
mkdir -p "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
  "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d" "$root/share/doc/immutalint"
${STRIP:-strip} -o "$root/bin/immutalint" "$binary"
install -m 755 scripts/kubectl-immutalint "$root/bin/kubectl-immutalint"
# The man page names the documentation folder: where `tar -C /usr/local` puts it.
python3 scripts/make-manpage.py --binary "$root/bin/immutalint" \
  --summary "Kubernetes manifest linter for immutable node operating systems" \
  --docdir /usr/local/share/doc/immutalint --output "$stage/immutalint.1"
install -m 644 "$stage/immutalint.1.gz" "$tree/kubectl-immutalint.1.gz" "$root/share/man/man1/"
install -m 644 "$tree/completions/immutalint" "$root/share/bash-completion/completions/immutalint"
install -m 644 "$tree/completions/_immutalint" "$root/share/zsh/site-functions/_immutalint"
install -m 644 "$tree/completions/immutalint.fish" "$root/share/fish/vendor_completions.d/immutalint.fish"
install -m 644 README.md LICENSE "$root/share/doc/immutalint/"
cp -R docs examples "$root/share/doc/immutalint/"

tarball=$out/$name.tar.gz
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  --mode='u+rwX,go+rX,go-w' -C "$stage" -cf - "$name" | gzip -n > "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "== $(du -h "$tarball" | cut -f1) $tarball; the binary needs: ${needed//$'\n'/ }" >&2
echo "$tarball"
