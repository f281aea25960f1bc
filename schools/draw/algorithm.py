"""The balanced class draw (均衡分班), as a pure function anyone can run again.

Seed 003 asks that starting grades be assigned at random (no entrance test, no key or fast
classes) and that classes be balanced; the design asks that anyone holding the roster hash
and the seed gets the same classes. This module is the whole of the draw: it imports
nothing but the standard library (no Django, no database, no `random`), so that the
management command `verify_draw`, the public verification page, the tests (with
`hypothesis`) and anyone with a copy of this file compute the same thing.

Inputs and their canonical forms (version "roster-v1"):

* The roster: for each student the registration number (报名号), the name, the gender ("M" or
  "F"), the birth date (ISO "YYYY-MM-DD") and the groups to spread (GROUPS, codes). Each text
  is Unicode-normalised (NFKC), stripped, and inner runs of white space become one space.
  One line per student, the JSON array `[number, name, gender, birth date, [groups, sorted]]`
  written compactly (separators "," and ":", non-ASCII characters as themselves), the lines
  sorted by number in code-point order, after a first line `roster-v1`; every line ends with
  "\n"; UTF-8. `roster_hash` is the SHA-256 of those bytes, in lower-case hex.
* The seed: the public number or text the principal publishes before the draw (drawn in
  public, a lottery result…), normalised like the other texts.
* The randomness: SHA-256 of `roster_hash (64 hex characters) + "\n" + seed` in UTF-8. The
  roster is fixed (and its hash published with the seed) before the seed is known, and the
  seed is public, so neither side can choose its input to steer the result.

Every random choice comes from counter-mode SHA-256 over the randomness (`Stream`), never
from `random`, `hash()` or the iteration order of a set, so the draw is the same on every
Python, hash seed, platform and database.

The draw (`assign`), for n students into k classes of at most `limit`:

1. The class order is a Fisher–Yates shuffle of the k classes; each student has a random
   key, SHA-256(randomness + "student\n" + number).
2. Students are ordered by gender, then birth month, then their groups, then random key,
   and dealt round the shuffled classes in turn. A run of consecutive students dealt this
   way puts ⌊m/k⌋ or ⌈m/k⌉ of its m students in every class, so class sizes, boys and girls,
   and (within each gender) every birth month are within one of an even share.
3. A group whose count still differs by two or more between two classes is evened by
   swapping two students of the same gender (sizes and genders do not move), the swap that
   lowers the sum of squared group counts most, a same-month pair first (months stay as dealt),
   then by random key.
   Each swap lowers that sum, so the repair ends. When no single swap helps, a chain of two
   is tried: a swap that leaves the sum unchanged, then one that lowers it. When each student is in at most one group
   (留守 and 随迁 exclude each other; 随班就读 seldom overlaps) every group ends within one of
   an even share; a roster of many overlapping groups can make that impossible (three
   students who pairwise share a group cannot be split in two), and then the spread left is
   reported by `balance`.
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass

ALGORITHM = "balanced-draw-v1"
ROSTER_FORMAT = "roster-v1"
GENDERS = ("M", "F")
# 随班就读 (students with disabilities in regular classes), 留守儿童, 随迁子女.
GROUPS = ("inclusive", "left_behind", "migrant")


class DrawInputError(ValueError):
    """Inputs the draw refuses: the message says what; `least_classes` when too few classes."""

    def __init__(self, message, least_classes=None):
        super().__init__(message)
        self.least_classes = least_classes


def normalise(text):
    text = unicodedata.normalize("NFKC", str(text or ""))
    return " ".join(text.split())


@dataclass(frozen=True)
class Student:
    """What the draw reads of a student (no name, no full birth date)."""

    number: str
    gender: str
    birth_month: int
    groups: tuple = ()


# ---- the inputs -----------------------------------------------------------------------------


def canonical_roster(rows):
    """The bytes hashed for a roster. `rows`: (number, name, gender, birth date "YYYY-MM-DD",
    groups) for each student."""
    lines = []
    for number, name, gender, birth_date, groups in rows:
        record = [normalise(number), normalise(name), normalise(gender), normalise(birth_date),
                  sorted(normalise(g) for g in groups)]
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    lines.sort(key=lambda line: json.loads(line)[0])
    return ("\n".join([ROSTER_FORMAT, *lines]) + "\n").encode("utf-8")


def roster_hash(rows):
    return hashlib.sha256(canonical_roster(rows)).hexdigest()


def randomness(roster_digest, seed):
    """The draw's randomness (32 bytes) from the roster hash and the public seed."""
    digest = normalise(roster_digest).lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise DrawInputError("The roster hash must be 64 hexadecimal characters.")
    if not normalise(seed):
        raise DrawInputError("The seed is empty.")
    return hashlib.sha256((digest + "\n" + normalise(seed)).encode("utf-8")).digest()


class Stream:
    """Counter-mode SHA-256: block i is SHA-256(key + label + "\n" + i as 8 bytes big-endian)."""

    def __init__(self, key, label):
        self.prefix = bytes(key) + label.encode("utf-8") + b"\n"
        self.counter = 0
        self.buffer = b""

    def _take(self, size):
        while len(self.buffer) < size:
            self.buffer += hashlib.sha256(self.prefix + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        taken, self.buffer = self.buffer[:size], self.buffer[size:]
        return taken

    def below(self, n):
        """A uniform integer in [0, n): 64-bit draws, rejecting the biased top."""
        if n <= 0:
            raise ValueError("n must be positive")
        space = 1 << 64
        top = space - space % n
        while True:
            value = int.from_bytes(self._take(8), "big")
            if value < top:
                return value % n

    def shuffle(self, items):
        items = list(items)
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items


def student_key(random_bytes, number):
    return hashlib.sha256(bytes(random_bytes) + b"student\n" + number.encode("utf-8")).digest()


# ---- the draw -------------------------------------------------------------------------------


def least_classes(students, limit):
    return max(1, -(-students // limit)) if students else 1


def check_inputs(students, classes, limit):
    if classes < 1:
        raise DrawInputError("At least one class is needed.", least_classes(len(students), limit))
    if len(students) < classes:
        raise DrawInputError("There are fewer students than classes.")
    if -(-len(students) // classes) > limit:
        raise DrawInputError("A class would be over the size limit.", least_classes(len(students), limit))
    numbers = [s.number for s in students]
    if len(set(numbers)) != len(numbers):
        raise DrawInputError("A registration number appears twice.")
    for s in students:
        if s.gender not in GENDERS or not 1 <= s.birth_month <= 12 or any(g not in GROUPS for g in s.groups):
            raise DrawInputError(f"Student {s.number} has an unknown gender, birth month or group.")


@dataclass(frozen=True)
class Draw:
    """classes[i]: the registration numbers of class i + 1, in number order."""

    algorithm: str
    classes: tuple

    def class_of(self):
        return {number: index + 1 for index, members in enumerate(self.classes) for number in members}


def assign(students, *, classes, limit, random_bytes):
    """Draw `students` into `classes` classes of at most `limit`; a Draw."""
    students = sorted(students, key=lambda s: s.number)
    check_inputs(students, classes, limit)
    order = Stream(random_bytes, "classes").shuffle(range(classes))
    keys = {s.number: student_key(random_bytes, s.number) for s in students}
    dealt = sorted(students, key=lambda s: (GENDERS.index(s.gender), s.birth_month, _group_rank(s.groups),
                                            keys[s.number]))
    members = [[] for _ in range(classes)]
    for position, student in enumerate(dealt):
        members[order[position % classes]].append(student)
    _even_groups(members, keys)
    return Draw(ALGORITHM, tuple(tuple(sorted(s.number for s in m)) for m in members))


def _group_rank(groups):
    # No group first, then each combination in a fixed order.
    return (len(groups) > 0, tuple(GROUPS.index(g) for g in sorted(groups, key=GROUPS.index)))


def _counts(members):
    return [[sum(1 for s in m if g in s.groups) for g in GROUPS] for m in members]


def _even_groups(members, keys):
    """Step 3: same-gender swaps that lower Σ (group count)², until no group is two apart."""
    counts = _counts(members)
    while True:
        swap = _best_swap(members, counts, keys)
        if swap is not None:
            _apply(members, counts, swap)
            continue
        # Stuck: a swap that leaves the sum as it is, then one that lowers it (a chain of
        # two), tried for a bounded number of first swaps.
        for first in _level_swaps(members, counts, keys)[:SIDEWAYS_TRIES]:
            _apply(members, counts, first)
            second = _best_swap(members, counts, keys)
            if second is not None:
                _apply(members, counts, second)
                break
            _apply(members, counts, first)  # a swap undoes itself
        else:
            return


SIDEWAYS_TRIES = 400


def _apply(members, counts, swap):
    a, i, b, j = swap
    s, t = members[a][i], members[b][j]
    members[a][i], members[b][j] = t, s
    for index, group in enumerate(GROUPS):
        move = (group in s.groups) - (group in t.groups)
        counts[a][index] -= move
        counts[b][index] += move


def _delta(s, t, counts, a, b):
    """The change of Σ (group count)² when s (in class a) and t (in class b) swap."""
    delta = 0
    for k, g in enumerate(GROUPS):
        move = (g in s.groups) - (g in t.groups)
        if move:
            delta += (counts[a][k] - move) ** 2 + (counts[b][k] + move) ** 2 - counts[a][k] ** 2 - counts[b][k] ** 2
    return delta


def _violations(members, counts):
    # The classes two or more apart in some group, most apart first.
    pairs = []
    for index in range(len(GROUPS)):
        for a in range(len(members)):
            for b in range(len(members)):
                gap = counts[a][index] - counts[b][index]
                if gap >= 2:
                    pairs.append((-gap, index, a, b))
    return sorted(pairs)


def _level_swaps(members, counts, keys):
    """Same-gender swaps out of a class two apart that leave Σ (group count)² unchanged, in a
    fixed order: the first step of a chain of two."""
    found = []
    for _gap, index, a, _b in _violations(members, counts):
        group = GROUPS[index]
        for i, s in enumerate(members[a]):
            if group not in s.groups:
                continue
            for c in range(len(members)):
                if c == a:
                    continue
                for j, t in enumerate(members[c]):
                    if t.gender == s.gender and t.groups != s.groups and _delta(s, t, counts, a, c) == 0:
                        found.append(((s.birth_month != t.birth_month, keys[s.number], keys[t.number]), (a, i, c, j)))
    return [swap for _rank, swap in sorted(found)]


def _best_swap(members, counts, keys):
    # The first pair of classes (most apart first) that has an improving swap gives its best.
    for _gap, index, a, b in _violations(members, counts):
        group = GROUPS[index]
        best = None
        for i, s in enumerate(members[a]):
            if group not in s.groups:
                continue
            for j, t in enumerate(members[b]):
                if t.gender != s.gender or group in t.groups:
                    continue
                delta = _delta(s, t, counts, a, b)
                if delta >= 0:
                    continue
                rank = (s.birth_month != t.birth_month, delta, abs(s.birth_month - t.birth_month),
                        keys[s.number], keys[t.number])
                if best is None or rank < best[0]:
                    best = (rank, i, j)
        if best is not None:
            return a, best[1], b, best[2]
    return None


# ---- how even ------------------------------------------------------------------------------


def class_counts(students, draw):
    """Per class: {"size", "M", "F", each group, "months": [12 counts]}."""
    by_number = {s.number: s for s in students}
    rows = []
    for numbers in draw.classes:
        members = [by_number[n] for n in numbers]
        row = {"size": len(members)}
        for gender in GENDERS:
            row[gender] = sum(1 for s in members if s.gender == gender)
        for group in GROUPS:
            row[group] = sum(1 for s in members if group in s.groups)
        row["months"] = [sum(1 for s in members if s.birth_month == month) for month in range(1, 13)]
        rows.append(row)
    return rows


def balance(rows):
    """Per measure (size, each gender, each group): the largest minus the smallest class count.
    1 or 0 is "within one of an even share"."""
    measures = ("size", *GENDERS, *GROUPS)
    spread = {m: (max(r[m] for r in rows) - min(r[m] for r in rows)) if rows else 0 for m in measures}
    # Birth months: the largest spread of any one month between classes.
    spread["months"] = max(
        (max(r["months"][m] for r in rows) - min(r["months"][m] for r in rows) for m in range(12)), default=0)
    return spread


def run(students, *, classes, limit, roster_digest, seed):
    """The whole draw from its published inputs."""
    return assign(students, classes=classes, limit=limit, random_bytes=randomness(roster_digest, seed))
