#!/bin/bash
# The RPM scriptlets report failures (issue 21): %post and %preun are taken from the spec
# text (macros expanded here, no rpmbuild needed) and run by sh with a stand-in dkms that
# fails and a stand-in install-kernels that reports a failed kernel. Their messages must
# be printed (never sent to /dev/null), and the transaction must not fail (exit 0).
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SPEC=$PKG_TOP/i915-vma-cleanup.spec
NAME=i915-vma-cleanup VER=$(sed -n 's/^Version:[[:space:]]*//p' "$SPEC")
scriptlet() {   # scriptlet SECTION -> its text, macros expanded for $T
	awk -v s="%$1" '$0 == s { on = 1; next } on && /^%(post|preun|postun|pre|files|changelog)([[:space:]]|$)/ { exit } on' "$SPEC" |
		sed -e "s|%{name}|$NAME|g" -e "s|%{version}|$VER|g" -e "s|%{_usrsrc}|$T/usrsrc|g" -e 's|%%|%|g'
}
scriptlet post > "$T/post.sh"; scriptlet preun > "$T/preun.sh"
check "the spec has %post and %preun" test -s "$T/post.sh" -a -s "$T/preun.sh"
mkdir -p "$T/bin" "$T/usrsrc/$NAME-$VER/scripts/5-install"
cat > "$T/bin/dkms" <<EOF
#!/bin/sh
echo "dkms \$*" >> "$T/dkms.calls"
case \$1 in
status) [ -e "$T/registered" ] && echo "$NAME/$VER: added"; exit 0 ;;
add) echo "Error! stand-in: could not add"; exit 3 ;;
remove) echo "Error! stand-in: could not remove"; exit 4 ;;
esac
EOF
cat > "$T/usrsrc/$NAME-$VER/scripts/5-install/install-kernels" <<EOF
#!/bin/sh
echo "6.1.0-99-amd64: FAILED (dkms rc 10): stand-in: error: the build broke (full log: /var/log/$NAME/6.1.0-99-amd64.log)"
echo "6.12.99-amd64: installed (verify mode, i915 of linux 6.12.99): /x/i915.ko"
exit 1
EOF
chmod +x "$T/bin/dkms" "$T/usrsrc/$NAME-$VER/scripts/5-install/install-kernels"

out=$(PATH=$T/bin:$PATH sh "$T/post.sh" 2>&1); rc=$?
check "%post: exit 0 (a failure never fails the transaction)" test "$rc" -eq 0
check "%post: a failed dkms add is printed, with dkms's own message and what to run" \
	bash -c "grep -q 'Error! stand-in: could not add' <<<'$out' && grep -q 'error: dkms add -m $NAME -v $VER failed' <<<'$out'"
check "%post: install-kernels' FAILED line and its exit status are reported" \
	bash -c "grep -q '^$NAME: 6.1.0-99-amd64: FAILED (dkms rc 10)' <<<'$out' && grep -q '^$NAME: FAILED (exit 1): a kernel did not get the module' <<<'$out'"
touch "$T/registered"
out=$(PATH=$T/bin:$PATH sh "$T/preun.sh" 2>&1); rc=$?
check "%preun: exit 0, and a failed dkms remove is printed" \
	bash -c "[ $rc -eq 0 ] && grep -q 'Error! stand-in: could not remove' <<<'$out' && grep -q 'error: dkms remove -m $NAME -v $VER --all failed' <<<'$out'"
t_done
