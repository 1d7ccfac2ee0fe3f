# Shared by make-solutions-branch.sh and make-student-branch.sh; sourced, not run.
#
# make_branch KIND BRANCH FROM SCRIPT_NAME
#   KIND     solutions | student (what scripts/branch_tree.py does to the tree)
#   BRANCH   the branch to create or refresh
#   FROM     the commit to make it from (main unless --from was given)
#
# How it stays away from your work: the tree is built in a temporary directory with a temporary
# index (plumbing only: read-tree, checkout-index, add, write-tree, commit-tree), and the branch
# moves with update-ref, guarded by its old value. Your work tree, your index, HEAD and main are
# never written to.

die() { echo "$script_name: $*" >&2; exit 1; }

branch_usage() {
  cat <<EOF
usage: $script_name [--from REF] [--branch NAME]

  --from REF      the commit to make the branch from (default: main, or origin/main in a clone
                  where main is not a local branch)
  --branch NAME   the branch to create or refresh (default: $default_branch)

$1
Run it again after main changes: it adds a commit, or says the branch is up to date.
EOF
}

parse_branch_args() {
  from="" branch="$default_branch"
  while [ $# -gt 0 ]; do
    case "$1" in
      --from) [ $# -ge 2 ] || die "--from needs a ref"; from=$2; shift 2 ;;
      --from=*) from=${1#*=}; shift ;;
      --branch) [ $# -ge 2 ] || die "--branch needs a name"; branch=$2; shift 2 ;;
      --branch=*) branch=${1#*=}; shift ;;
      -h|--help) branch_usage "$usage_text"; exit 0 ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
  done
  if [ -z "$from" ]; then
    if git rev-parse --verify --quiet refs/heads/main >/dev/null; then from=main
    elif git rev-parse --verify --quiet refs/remotes/origin/main >/dev/null; then from=origin/main
    else die "there is no main branch here (nor origin/main): say which commit to start from with --from REF"
    fi
  fi
}

make_branch() {
  local kind=$1
  command -v python3 >/dev/null || die "python3 is needed (install python3)"
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "not inside a git work tree"

  # The branch is made from a commit, not from these files: uncommitted edits would be left out
  # without a word, so ask for a clean tree first.
  [ -z "$(git status --porcelain)" ] \
    || die "the work tree has uncommitted changes (see git status): commit or stash them first"

  git check-ref-format --branch "$branch" >/dev/null 2>&1 || die "'$branch' is not a valid branch name"
  case "$branch" in
    main|master|HEAD) die "refusing to write to '$branch': this script only makes the $default_branch branch" ;;
  esac
  local source
  source=$(git rev-parse --verify --quiet "$from^{commit}") || die "'$from' is not a commit"
  [ "$(git rev-parse --verify --quiet "refs/heads/$branch")" != "$source" ] \
    || die "'$branch' is the commit you start from ($from): choose another --branch"
  if [ "$(git symbolic-ref --quiet --short HEAD 2>/dev/null || true)" = "$branch" ] \
     || git worktree list --porcelain | grep -qxF "branch refs/heads/$branch"; then
    die "'$branch' is checked out in a work tree (git worktree list): switch it to another branch first; this script never moves a checked-out branch"
  fi

  local old=""
  old=$(git rev-parse --verify --quiet "refs/heads/$branch^{commit}") || old=""

  local tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  local git_dir
  git_dir=$(git rev-parse --absolute-git-dir)
  mkdir "$tmp/tree"
  export GIT_INDEX_FILE="$tmp/index"
  git read-tree "$source"
  git --git-dir="$git_dir" -C "$tmp/tree" --work-tree=. checkout-index --all --force
  python3 "$scripts_dir/branch_tree.py" "$kind" "$tmp/tree" >"$tmp/changes" \
    || die "could not make the $kind tree from $from (see the message above)"
  git --git-dir="$git_dir" -C "$tmp/tree" --work-tree=. add --all
  local tree
  tree=$(git write-tree)
  unset GIT_INDEX_FILE

  local short_source
  short_source=$(git rev-parse --short "$source")
  if [ -n "$old" ] && [ "$(git rev-parse "$old^{tree}")" = "$tree" ] \
     && { [ "$kind" = student ] || git merge-base --is-ancestor "$source" "$old"; }; then
    echo "$script_name: '$branch' is up to date with $from ($short_source): no change (at $(git rev-parse --short "$old"))"
    return 0
  fi

  local parents=()
  if [ "$kind" = solutions ]; then
    # Main is a parent, so `git diff main...solutions` and GitHub's compare view show only the answers.
    [ -n "$old" ] && parents+=(-p "$old")
    if [ -z "$old" ] || ! git merge-base --is-ancestor "$source" "$old"; then parents+=(-p "$source"); fi
  else
    # Never main: main's history holds every solution, and a student repository must not ship them.
    if [ -n "$old" ] && [ -n "$(git merge-base "$old" "$source" 2>/dev/null || true)" ]; then
      die "'$branch' shares history with $from, so it would ship the solutions in its history; delete it (git branch -D $branch) and run again"
    fi
    [ -n "$old" ] && parents+=(-p "$old")
  fi

  # A fresh CI machine may have no git identity; the branch is the script's work, so say so.
  if ! git var GIT_COMMITTER_IDENT >/dev/null 2>&1 || ! git var GIT_AUTHOR_IDENT >/dev/null 2>&1; then
    export GIT_AUTHOR_NAME="workshop scripts" GIT_AUTHOR_EMAIL="workshop-scripts@localhost"
    export GIT_COMMITTER_NAME="workshop scripts" GIT_COMMITTER_EMAIL="workshop-scripts@localhost"
  fi
  local message commit
  message=$(printf '%s\n\nMade by scripts/%s from %s (%s). Do not edit this branch by hand:\nchange main and run the script again.\n\n%s\n' \
    "$(commit_subject "$short_source")" "$script_name" "$from" "$(git rev-parse "$source")" "$(cat "$tmp/changes")")
  commit=$(git commit-tree "$tree" ${parents[@]+"${parents[@]}"} -m "$message")
  git update-ref -m "$script_name: from $from ($short_source)" "refs/heads/$branch" "$commit" "$old"

  if [ -n "$old" ]; then
    echo "$script_name: refreshed '$branch': $(git rev-parse --short "$old") -> $(git rev-parse --short "$commit"), made from $from ($short_source)"
  else
    echo "$script_name: created '$branch' at $(git rev-parse --short "$commit"), made from $from ($short_source)"
  fi
  cat "$tmp/changes"
  echo "Files that differ from $from:"
  git diff --name-status "$source" "$commit" | sed 's/^/  /'
}
