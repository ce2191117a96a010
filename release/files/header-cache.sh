# Assay (release/onefile.py): unpack once, into the user's cache, and start from there.
# This text goes into makeself's header template, so every $ of the running script is
# written \$; @BUILD_ID@ is the build's hash (release/meta.py). A start finds the
# unpacked copy of this very build and runs it without reading the archive (warm start);
# the first start unpacks into a private folder beside it, which assay-start renames into
# place when the copy is whole. "FILE --makeself ARGS" gives makeself's own options
# (--info, --list, --check, --target DIR).
assay_cache="\${XDG_CACHE_HOME:-\$HOME/.cache}/assay/bundle-@BUILD_ID@"
if test x"\$1" = x--makeself; then
    shift
elif test -f "\$assay_cache/complete" && test -x "\$assay_cache/Assay/Assay"; then
    exec "\$assay_cache/Assay/Assay" "\$@"
elif mkdir -p "\${assay_cache%/*}" 2>/dev/null && test -w "\${assay_cache%/*}"; then
    ASSAY_CACHE="\$assay_cache"
    export ASSAY_CACHE
    targetdir="\$assay_cache.part.\$\$"
    keep=y
    quiet=y
    set -- --noprogress -- "\$@"
else
    quiet=y
    set -- --noprogress -- "\$@"
fi
