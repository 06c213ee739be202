// stable_sort: the sort behind list.sort and sorted(), shaped like CPython's timsort so that
// user-visible behaviour matches: natural runs are found with the same comparisons
// (count_run), short runs are extended by binary insertion, and runs are merged by the
// powersort policy of CPython 3.11. Galloping is left out; it changes how many comparisons
// a merge makes, never the result.
//
// The comparison is user code (`__lt__`, a key's `<`), so it may fail or be inconsistent.
// On the first Error the sort stops and returns false, leaving `items` a permutation of
// what it was: never a lost or duplicated element, never a crash. An inconsistent
// comparison merely yields some order, as in CPython (std::sort would be undefined).
//
// Garbage collection: while the sort runs, an element may live only in `scratch`, so a
// caller whose comparison can allocate must root both `items` and `scratch`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "runtime/containers/verdict.hpp"

namespace asy::containers {

namespace sort_detail {

// One run waiting on the merge stack: items[base, base + length), and its powersort power.
struct Run {
    std::size_t base;
    std::size_t length;
    int power;
};

// Runs shorter than this are extended by binary insertion first. CPython's rule: a value
// in [32, 64] that makes n / minrun a power of two or a little less.
inline std::size_t min_run(std::size_t n) {
    std::size_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

// The powersort power of the boundary between run 1 (s1, n1) and run 2 (n2) in a list of
// n items: the first bit in which the binary expansions of the two runs' midpoints (as
// fractions of n) differ. Deeper boundaries are merged first.
inline int power_of(std::size_t s1, std::size_t n1, std::size_t n2, std::size_t n) {
    // Twice the midpoints, to stay in integers.
    std::size_t a = 2 * s1 + n1;
    std::size_t b = a + n1 + n2;
    int result = 0;
    for (;;) {
        ++result;
        if (a >= n) {
            a -= n;
            b -= n;
        } else if (b >= n) {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return result;
}

template <class T, class Less>
class Sorter {
public:
    Sorter(std::span<T> items, std::vector<T>& scratch, Less& less)
        : m_items(items), m_scratch(scratch), m_less(less) {}

    bool sort() {
        const std::size_t n = m_items.size();
        if (n < 2) return true;
        const std::size_t minrun = min_run(n);
        std::size_t lo = 0;
        while (lo < n) {
            bool descending = false;
            std::size_t run = 0;
            if (!count_run(lo, n, run, descending)) return false;
            // A strictly descending run reversed is ascending, and stable: no equal items.
            if (descending) std::reverse(m_items.begin() + lo, m_items.begin() + lo + run);
            if (run < minrun) {
                const std::size_t force = std::min(n - lo, minrun);
                if (!binary_insertion_sort(lo, lo + force, lo + run)) return false;
                run = force;
            }
            if (!found_new_run(lo, run)) return false;
            m_runs.push_back(Run{lo, run, 0});
            lo += run;
        }
        // Merge what is left, preferring the smaller neighbour as CPython does.
        while (m_runs.size() > 1) {
            std::size_t i = m_runs.size() - 2;
            if (i > 0 && m_runs[i - 1].length < m_runs[i + 1].length) --i;
            if (!merge_at(i)) return false;
        }
        return true;
    }

private:
    // is a < b? Records whether the comparison failed.
    bool less(const T& a, const T& b, bool& failed) {
        const Verdict v = m_less(a, b);
        failed = v == Verdict::Error;
        return v == Verdict::Yes;
    }

    // The length of the run starting at lo: either non-descending (a[i] <= a[i+1]) or
    // strictly descending. Strictness keeps the reversal stable.
    bool count_run(std::size_t lo, std::size_t hi, std::size_t& length, bool& descending) {
        descending = false;
        length = 1;
        if (lo + 1 == hi) return true;
        bool failed = false;
        std::size_t i = lo + 1;
        length = 2;
        if (less(m_items[i], m_items[i - 1], failed)) {
            descending = true;
            for (++i; i < hi; ++i, ++length) {
                const bool lt = less(m_items[i], m_items[i - 1], failed);
                if (failed) return false;
                if (!lt) break;
            }
        } else {
            if (failed) return false;
            for (++i; i < hi; ++i, ++length) {
                const bool lt = less(m_items[i], m_items[i - 1], failed);
                if (failed) return false;
                if (lt) break;
            }
        }
        return true;
    }

    // Sorts items[lo, hi) given that items[lo, start) is already sorted: each further item
    // is placed after all items not greater than it, found by binary search.
    bool binary_insertion_sort(std::size_t lo, std::size_t hi, std::size_t start) {
        if (lo == start) ++start;
        for (; start < hi; ++start) {
            std::size_t l = lo;
            std::size_t r = start;
            bool failed = false;
            while (l < r) {
                const std::size_t p = l + ((r - l) >> 1);
                const bool lt = less(m_items[start], m_items[p], failed);
                if (failed) return false;  // items is untouched for this step
                if (lt)
                    r = p;
                else
                    l = p + 1;
            }
            // Shift items[l, start) right by one and drop the pivot into the gap.
            std::rotate(m_items.begin() + l, m_items.begin() + start, m_items.begin() + start + 1);
        }
        return true;
    }

    // Powersort: before pushing a new run, merge the runs below it whose boundary is
    // deeper than the new boundary.
    bool found_new_run(std::size_t base, std::size_t length) {
        if (m_runs.empty()) return true;
        const Run& top = m_runs.back();
        const int power = power_of(top.base, top.length, length, m_items.size());
        (void)base;
        while (m_runs.size() > 1 && m_runs[m_runs.size() - 2].power > power)
            if (!merge_at(m_runs.size() - 2)) return false;
        m_runs.back().power = power;
        return true;
    }

    // Merges runs i and i + 1 of the stack into one.
    bool merge_at(std::size_t i) {
        Run& a = m_runs[i];
        const Run& b = m_runs[i + 1];
        const std::size_t base = a.base;
        const std::size_t na = a.length;
        const std::size_t nb = b.length;
        a.length = na + nb;
        m_runs.erase(m_runs.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        // Copy the shorter run out and merge from that side.
        return na <= nb ? merge_low(base, na, nb) : merge_high(base, na, nb);
    }

    // Merges items[base, base+na) and the run after it, copying the first run aside and
    // filling from the front. A right item goes first only if strictly less: stability.
    bool merge_low(std::size_t base, std::size_t na, std::size_t nb) {
        m_scratch.assign(m_items.begin() + base, m_items.begin() + base + na);
        std::size_t pa = 0;             // next of the left run, in scratch
        std::size_t pb = base + na;     // next of the right run, in place
        const std::size_t end = base + na + nb;
        std::size_t dest = base;
        bool failed = false;
        while (pa < na && pb < end) {
            const bool lt = less(m_items[pb], m_scratch[pa], failed);
            if (failed) break;
            if (lt)
                m_items[dest++] = std::move(m_items[pb++]);
            else
                m_items[dest++] = std::move(m_scratch[pa++]);
        }
        // Whatever is left of the left run fills the gap before pb (also after an error).
        std::move(m_scratch.begin() + pa, m_scratch.begin() + na, m_items.begin() + dest);
        m_scratch.clear();
        return !failed;
    }

    // The mirror image: copies the second run aside and fills from the back. A left item
    // goes last only if the right one is strictly less than it.
    bool merge_high(std::size_t base, std::size_t na, std::size_t nb) {
        const std::size_t mid = base + na;
        m_scratch.assign(m_items.begin() + mid, m_items.begin() + mid + nb);
        std::size_t pa = mid;           // one past the next of the left run, in place
        std::size_t pb = nb;            // one past the next of the right run, in scratch
        std::size_t dest = mid + nb;    // one past the next place to fill
        bool failed = false;
        while (pa > base && pb > 0) {
            const bool lt = less(m_scratch[pb - 1], m_items[pa - 1], failed);
            if (failed) break;
            if (lt)
                m_items[--dest] = std::move(m_items[--pa]);
            else
                m_items[--dest] = std::move(m_scratch[--pb]);
        }
        // Whatever is left of the right run fills the gap after pa.
        std::move(m_scratch.begin(), m_scratch.begin() + pb, m_items.begin() + pa);
        m_scratch.clear();
        return !failed;
    }

    std::span<T> m_items;
    std::vector<T>& m_scratch;
    Less& m_less;
    std::vector<Run> m_runs;
};

}  // namespace sort_detail

// Sorts `items` stably by `less(a, b) -> Verdict` (Yes when a < b). With `reverse`, sorts
// into descending order while keeping equal items in their original order, as CPython
// does: reverse, sort, reverse back. Returns false after the first failed comparison.
// `scratch` is working space the caller can root (see the top of this file).
template <class T, class Less>
[[nodiscard]] bool stable_sort(std::span<T> items, std::vector<T>& scratch, Less&& less, bool reverse = false) {
    if (reverse) std::reverse(items.begin(), items.end());
    sort_detail::Sorter<T, Less> sorter(items, scratch, less);
    const bool ok = sorter.sort();
    // CPython reverses back even after an error.
    if (reverse) std::reverse(items.begin(), items.end());
    return ok;
}

}  // namespace asy::containers
