#!/usr/bin/env bash
# Checks that every citation of the specification in code and README resolves to a target in docs/:
#   decisions N / decision N / _decisionsN      -> docs/decisions.md     id="dN"
#   scorecard N / reliability N                  -> docs/reliability.md   id="scorecard-N"
#   threat "name" / reliability "name"           -> docs/reliability.md   id="t-name" or id="name"
#   envelope E5                                  -> docs/reliability.md   id="e5"
#   K.50, scenario 50, scenarios 6, 7, k50_      -> docs/conformance.md   id="s50" (and the group letter must match)
#   R25, §3 R25, r25_ in a test name             -> docs/contract.md      id="r25"
#   §1.4, section2_2 in a test name              -> docs/contract.md      id="sec-1.4"
#   toolchain trap N                             -> docs/toolchain.md     id="trap-N"
#   decisions.md, conformance.md, ...            -> the file exists in docs/
#   [text](path#anchor) in docs/*.md, README.md  -> the file and the anchor exist
# It also flags citations that still use the README's old decision numbers (docs/decisions.md, "Older numbering").
# "PROTOCOL.md §N" is checked against provider.tcp/PROTOCOL.md's headings, as a warning only.
# Usage: docs/check-refs.sh [--list] [repository root]. Exit 0 when everything resolves, 1 otherwise.
# --list also prints every distinct cited target with the number of citations (doc#id count).
set -uo pipefail

list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
docs=docs
errors=0
warnings=0
checked=0

fail() { echo "DANGLING $1: $2"; errors=$((errors + 1)); }
warn() { echo "WARNING  $1: $2"; warnings=$((warnings + 1)); }

# Every file that may cite the specification; the docs themselves are checked through their links.
mapfile -t files < <(find . \( -name target -o -name .git -o -name node_modules -o -path ./docs \) -prune -o -type f \
    \( -name '*.java' -o -name '*.md' -o -name '*.bnd' -o -name '*.cfg' \) -print | sed 's|^\./||' | sort)

# ids a doc defines: every id="..." and every heading's GitHub slug
declare -A have
add_ids() { # key-prefix file
    local id
    while IFS= read -r id; do have["$1#$id"]=1; done < <(
        grep -o 'id="[^"]*"' "$2" | sed 's/^id="//; s/"$//'
        grep -E '^#{1,6} ' "$2" | sed -E 's/^#+ +//' | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g')
}
for f in "$docs"/*.md "$docs"/bench/*.md; do add_ids "${f##*/}" "$f"; done
add_ids README.md README.md
declare -A protocol
if [ -f provider.tcp/PROTOCOL.md ]; then
    while IFS= read -r n; do protocol[$n]=1; done < <(grep -oE '^#{2,3} [0-9]+(\.[0-9]+)?' provider.tcp/PROTOCOL.md | cut -d' ' -f2)
fi

# scenario number -> group letter, from the rows of conformance.md
declare -A group
while IFS=' ' read -r n g; do group[$n]=$g; done < <(grep -oE 'id="s[0-9]+"></a>[A-M]\.' "$docs/conformance.md" |
    sed -E 's/id="s([0-9]+)"><\/a>([A-M])\./\1 \2/')

declare -A cited
need() { # doc id where what
    checked=$((checked + 1))
    cited["$1#$2"]=$((${cited["$1#$2"]:-0} + 1))
    [ -n "${have[$1#$2]:-}" ] || fail "$3" "$4 (no id \"$2\" in docs/$1)"
}
# "6, 7, 9 and 11" / "10–11" -> NUMS (bash only: this runs for every hit)
expand() {
    NUMS=()
    local s=${1//, / } x
    s=${s// and / }; s=${s//\// }; s=${s//,/ }
    for x in $s; do
        if [[ $x =~ ^([0-9]+)(–|-)([0-9]+)$ ]]; then
            local i
            for ((i = BASH_REMATCH[1]; i <= BASH_REMATCH[3]; i++)); do NUMS+=("$i"); done
        elif [[ $x =~ ^[0-9]+$ ]]; then NUMS+=("$x"); fi
    done
}
hits() { # pattern: file:line:match for every match in every file
    grep -noE "$1" -- "${files[@]}" 2>/dev/null
}

# file names
while IFS=: read -r f l m; do
    checked=$((checked + 1))
    [ -f "$docs/$m" ] || fail "$f:$l" "$m (no docs/$m)"
done < <(hits '\b(decisions|conformance|reliability|contract|winsock-multipoint|style|toolchain)\.md\b')

# decisions
while IFS=: read -r f l m; do
    expand "${m#* }"
    for n in "${NUMS[@]}"; do need decisions.md "d$n" "$f:$l" "decision $n"; done
done < <(hits '[Dd]ecisions? [0-9]+((, | and |–|-)[0-9]+)*')
while IFS=: read -r f l m; do
    need decisions.md "d${m##*decisions}" "$f:$l" "$m"
done < <(hits '_?decisions[0-9]+')
# the old README numbering: 12 was the default condition, 10 the live catalog
while IFS=: read -r f l m; do
    fail "$f:$l" "decision 12 is the live catalog; the default condition is decision 14 (old README number)"
done < <(grep -nE '[Dd]ecisions? 12\b.*(condition|requireIdentity)|(condition|requireIdentity).*[Dd]ecisions? 12\b' -- "${files[@]}")
while IFS= read -r hit; do
    [[ $hit =~ ^(.*)[:-]([0-9]+)[:-] ]] && fail "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}" \
        "decision 10 is QoS; the provider leaving (WSAENETDOWN, live catalog) is decision 12 (old README number)"
done < <(grep -nE -B2 '[Dd]ecisions? 10\b' -- "${files[@]}" | grep -E 'live catalog|WSAENETDOWN' -A2 |
    grep -E '[Dd]ecisions? 10\b' | grep -vE 'QoS|qos')

# scorecard lines
while IFS=: read -r f l m; do
    need reliability.md "scorecard-${m##* }" "$f:$l" "$m"
done < <(hits '([Ss]corecard|[Rr]eliability) [0-9]+')

# toolchain traps
while IFS=: read -r f l m; do
    need toolchain.md "trap-${m##* }" "$f:$l" "$m"
done < <(hits '[Tt]oolchain trap [0-9]+')

# envelope threats: "envelope E5", "envelope E3 and E4", "envelope E1, E2"
while IFS=: read -r f l m; do
    for n in $(grep -oE 'E[0-9]+' <<<"$m"); do
        need reliability.md "e${n#E}" "$f:$l" "envelope $n"
    done
done < <(hits '[Ee]nvelope E[0-9]+((,| and) E[0-9]+)*')

# threats and principles, by quoted name
while IFS=: read -r f l m; do
    rest=$m
    while [[ $rest =~ \"([^\"]+)\"(.*)$ ]]; do
        name=${BASH_REMATCH[1]}
        rest=${BASH_REMATCH[2]}
        s=${name,,}; s=${s//[^a-z0-9]/-}
        checked=$((checked + 1))
        cited["reliability.md#\"$name\""]=$((${cited["reliability.md#\"$name\""]:-0} + 1))
        [ -n "${have[reliability.md#t-$s]:-}${have[reliability.md#$s]:-}" ] ||
            fail "$f:$l" "threat \"$name\" (no id \"t-$s\" in docs/reliability.md)"
    done
done < <(hits '([Tt]hreats?( rows?)?|[Rr]eliability(\.md)?,?) "[^"]+"((,| and) "[^"]+")*')

# scenario groups: "Conformance B", "conformance group K", "groups D, E, F, G"
while IFS=: read -r f l m; do
    for g in $(grep -oE '\b[A-M]\b' <<<"${m#* }"); do need conformance.md "group-${g,,}" "$f:$l" "group $g"; done
done < <(hits '([Cc]onformance (group )?|[Gg]roups? )[A-M](, [A-M])*\b')

# scenarios
while IFS=: read -r f l m; do
    g=${m%%.*}; n=${m#*.}; n=$((10#$n))
    need conformance.md "s$n" "$f:$l" "scenario $m"
    [ -z "${group[$n]:-}" ] || [ "${group[$n]}" = "$g" ] || fail "$f:$l" "scenario $m is in group ${group[$n]}, not $g"
done < <(hits '\b[A-M]\.[0-9]{1,2}\b')
while IFS=: read -r f l m; do
    expand "${m#* }"
    for n in "${NUMS[@]}"; do need conformance.md "s$n" "$f:$l" "scenario $n"; done
done < <(hits '[Ss]cenarios? [0-9]+((, | and |/|–|-)[0-9]+)*')
while IFS=: read -r f l m; do
    for id in ${m//[–-]/ }; do need conformance.md "s${id:1}" "$f:$l" "scenario $id"; done
done < <(hits '\b[A-M][0-9]{1,2}(–|-)[A-M][0-9]{1,2}\b')

# test names: k50_, scenario42_, R38, r25_, decisions3 (above), section2_2
while IFS=: read -r f l m; do
    name=${m#void}; name=${name// /}; name=${name%(}
    for t in ${name//_/ }; do
        if [[ $t =~ ^([a-m])([0-9]{1,2})$ ]]; then
            n=$((10#${BASH_REMATCH[2]})); g=${BASH_REMATCH[1]^^}
            need conformance.md "s$n" "$f:$l" "scenario $t in $name"
            [ -z "${group[$n]:-}" ] || [ "${group[$n]}" = "$g" ] || fail "$f:$l" "$t in $name: scenario $n is in group ${group[$n]}"
        elif [[ $t =~ ^scenario([0-9]+)$ ]]; then need conformance.md "s${BASH_REMATCH[1]}" "$f:$l" "$t in $name"
        elif [[ $t =~ ^[Rr]([0-9]{1,2})$ ]]; then need contract.md "r${BASH_REMATCH[1]}" "$f:$l" "rule $t in $name"
        elif [[ $t =~ ^section([0-9]+)$ ]]; then need contract.md "sec-${BASH_REMATCH[1]}" "$f:$l" "$t in $name"
        fi
    done
    if [[ $name =~ section([0-9]+)_([0-9]+) ]]; then
        need contract.md "sec-${BASH_REMATCH[1]}.${BASH_REMATCH[2]}" "$f:$l" "section in $name"
    fi
done < <(hits 'void +[A-Za-z0-9_]+ *\(')

# rules R1–R38 (a range is checked at its ends); PROTOCOL.md has no R rules
while IFS=: read -r f l m; do
    [ "$f" = provider.tcp/PROTOCOL.md ] && continue
    need contract.md "r${m#R}" "$f:$l" "rule $m"
done < <(hits '\bR[0-9]{1,2}\b')

# sections: PROTOCOL.md's when the line names it (or is in it), the contract's otherwise
while IFS= read -r hit; do
    [[ $hit =~ ^([^:]+):([0-9]+):(.*)$ ]] || continue
    f=${BASH_REMATCH[1]}; l=${BASH_REMATCH[2]}; text=${BASH_REMATCH[3]}
    rest=$text
    while [[ $rest =~ §([0-9]+(\.[0-9]+)?)(.*)$ ]]; do
        n=${BASH_REMATCH[1]}; rest=${BASH_REMATCH[3]}
        if [ "$f" = provider.tcp/PROTOCOL.md ] || [[ $text == *PROTOCOL.md* ]]; then
            checked=$((checked + 1))
            [ -n "${protocol[$n]:-}" ] || warn "$f:$l" "PROTOCOL.md §$n (no such section in provider.tcp/PROTOCOL.md)"
        else
            need contract.md "sec-$n" "$f:$l" "§$n"
        fi
    done
done < <(grep -nE '§[0-9]' -- "${files[@]}")

# links in docs/ and README.md: the file exists, and so does the anchor
for f in "$docs"/*.md "$docs"/bench/*.md README.md; do
    dir=${f%/*}; [ "$dir" = "$f" ] && dir=.
    while IFS=: read -r l m; do
        target=${m#](}; target=${target%)}
        [[ $target =~ ^[a-z]+: ]] && continue
        path=${target%%#*}
        anchor=; [[ $target == *#* ]] && anchor=${target#*#}
        file=$f; [ -n "$path" ] && file="$dir/$path"
        checked=$((checked + 1))
        if [ ! -e "$file" ]; then fail "$f:$l" "link to $target (no file $file)"; continue; fi
        if [ -n "$anchor" ] && [[ $file == *.md && $file != *PROTOCOL.md ]]; then
            [ -n "${have[${file##*/}#$anchor]:-}" ] || fail "$f:$l" "link to $target (no anchor \"$anchor\" in $file)"
        fi
    done < <(grep -noE '\]\([^) ]+\)' "$f")
done

if ((list)); then
    for k in "${!cited[@]}"; do echo "$k ${cited[$k]}"; done | sort -t'#' -k1,1 -k2,2V
fi
echo "checked $checked citations and links: $errors dangling, $warnings warnings"
((errors == 0))
