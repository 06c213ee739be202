// The random module, with CPython's generator: the Mersenne Twister MT19937 seeded the way
// random.seed(int) seeds it (init_by_array over the seed's 32-bit words), and the same
// recipes on top (random() from two draws, _randbelow by rejection, shuffle from the end).
// So `random.seed(42); print(random.randint(1, 6))` prints what CPython prints.
#include "stdlib/native/native_modules.hpp"

#include "runtime/objects/container_util.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/vm.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace asy {

namespace {

// MT19937, as published by Matsumoto and Nishimura and used by CPython's _random module.
class MersenneTwister {
public:
    MersenneTwister() {
        // Unseeded, CPython draws from the OS; so do we.
        std::random_device device;
        seed_by_array({device(), device(), device(), device()});
    }

    // init_by_array: spreads every word of the key over the whole state.
    void seed_by_array(const std::vector<std::uint32_t>& key) {
        seed_by_int(19650218U);
        std::size_t i = 1;
        std::size_t j = 0;
        const std::size_t key_length = key.empty() ? 1 : key.size();
        for (std::size_t k = std::max(n, key_length); k > 0; --k) {
            const std::uint32_t word = key.empty() ? 0 : key[j];
            m_state[i] = (m_state[i] ^ ((m_state[i - 1] ^ (m_state[i - 1] >> 30)) * 1664525U)) + word + static_cast<std::uint32_t>(j);
            ++i;
            ++j;
            if (i >= n) {
                m_state[0] = m_state[n - 1];
                i = 1;
            }
            if (j >= key_length) j = 0;
        }
        for (std::size_t k = n - 1; k > 0; --k) {
            m_state[i] = (m_state[i] ^ ((m_state[i - 1] ^ (m_state[i - 1] >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
            ++i;
            if (i >= n) {
                m_state[0] = m_state[n - 1];
                i = 1;
            }
        }
        m_state[0] = 0x80000000U;  // the top bit set: the state is never all zero
    }

    // The next 32 random bits (genrand_uint32).
    std::uint32_t next() {
        if (m_index >= n) regenerate();
        std::uint32_t y = m_state[m_index++];
        // Tempering.
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    // random.random(): 53 random bits as a float in [0, 1).
    double next_double() {
        const std::uint32_t a = next() >> 5;
        const std::uint32_t b = next() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    // getrandbits(k) for 0 < k <= 64, words filled from the least significant end as CPython does.
    std::uint64_t bits(int k) {
        if (k <= 32) return next() >> (32 - k);
        const std::uint64_t low = next();
        const std::uint64_t high = next() >> (64 - k);
        return low | (high << 32);
    }

    // _randbelow(n) for n > 0: draw bit_length(n) bits until the value is below n.
    std::uint64_t below(std::uint64_t limit) {
        int k = 0;
        while (k < 64 && (limit >> k) != 0) ++k;
        std::uint64_t r = bits(k);
        while (r >= limit) r = bits(k);
        return r;
    }

private:
    static constexpr std::size_t n = 624;
    static constexpr std::size_t m = 397;

    void seed_by_int(std::uint32_t seed) {
        m_state[0] = seed;
        for (std::size_t i = 1; i < n; ++i)
            m_state[i] = 1812433253U * (m_state[i - 1] ^ (m_state[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
        m_index = n;
    }

    void regenerate() {
        constexpr std::uint32_t upper = 0x80000000U;
        constexpr std::uint32_t lower = 0x7fffffffU;
        constexpr std::uint32_t matrix = 0x9908b0dfU;
        for (std::size_t k = 0; k < n; ++k) {
            const std::uint32_t y = (m_state[k] & upper) | (m_state[(k + 1) % n] & lower);
            m_state[k] = m_state[(k + m) % n] ^ (y >> 1) ^ ((y & 1U) ? matrix : 0U);
        }
        m_index = 0;
    }

    std::array<std::uint32_t, n> m_state{};
    std::size_t m_index = n;
};

// One generator for the process, as the random module's hidden Random instance.
MersenneTwister& generator() {
    static MersenneTwister twister;
    return twister;
}

// An int argument ("'float' object cannot be interpreted as an integer").
bool int_argument(VM& vm, Value value, std::int64_t& out) {
    const int status = index_value(vm, value, out);
    if (status == 0)
        vm.raise_format(vm.types().type_error, "'{}' object cannot be interpreted as an integer", ops::type_name(vm, value));
    return status == 1;
}

// random.seed(a=None): an int seeds with its absolute value's 32-bit words; None from the OS.
Value random_seed(VM& vm, CallArgs args) {
    if (!check_positional(vm, CallArgs(args.positional()), "seed", 0, 2)) return Value::null();
    Value seed = args.positional_count() >= 1 ? args[0] : keyword_argument(args, "a");
    if (seed.is_null() || seed.is_none()) {
        generator() = MersenneTwister();
        return Value::none();
    }
    std::vector<std::uint32_t> key;
    if (seed.is_object() && seed.as_object()->type == vm.types().int_) {
        const auto* big = static_cast<const BigInt*>(seed.as_object());
        mpz_t magnitude;
        mpz_init(magnitude);
        mpz_abs(magnitude, big->value);
        const std::size_t words = (mpz_sizeinbase(magnitude, 2) + 31) / 32;
        key.resize(words);
        std::size_t written = 0;
        mpz_export(key.data(), &written, -1, sizeof(std::uint32_t), 0, 0, magnitude);
        key.resize(written);
        mpz_clear(magnitude);
    } else if (seed.is_small_int() || seed.is_bool()) {
        std::int64_t value = seed.is_bool() ? (seed.as_bool() ? 1 : 0) : seed.as_small_int();
        std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
        while (magnitude) {
            key.push_back(static_cast<std::uint32_t>(magnitude & 0xffffffffU));
            magnitude >>= 32;
        }
    } else {
        // Other seeds (str, float...) go through their hash: repeatable, though not CPython's
        // sequence (CPython hashes str seeds with SHA-512).
        std::int64_t hash = 0;
        if (!ops::hash(vm, seed, hash)) return Value::null();
        std::uint64_t magnitude = hash < 0 ? 0 - static_cast<std::uint64_t>(hash) : static_cast<std::uint64_t>(hash);
        while (magnitude) {
            key.push_back(static_cast<std::uint32_t>(magnitude & 0xffffffffU));
            magnitude >>= 32;
        }
    }
    generator().seed_by_array(key);
    return Value::none();
}

Value random_random(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "random")) return Value::null();
    return Value::from_double(generator().next_double());
}

// random.getrandbits(k) for k <= 64.
Value random_getrandbits(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "getrandbits")) return Value::null();
    std::int64_t k = 0;
    if (!int_argument(vm, args[0], k)) return Value::null();
    if (k < 0) return vm.raise(vm.types().value_error, "number of bits must be non-negative");
    if (k == 0) return Value::from_small_int(0);
    if (k > 63) return vm.raise(vm.types().overflow_error, "asy's getrandbits() supports at most 63 bits");
    return int_from_int64(vm, static_cast<std::int64_t>(generator().bits(static_cast<int>(k))));
}

// randrange(start, stop=None, step=1), CPython 3.11's checks and draws.
Value randrange(VM& vm, std::int64_t start, const std::int64_t* stop, std::int64_t step) {
    if (!stop) {
        if (start > 0) return int_from_int64(vm, static_cast<std::int64_t>(generator().below(static_cast<std::uint64_t>(start))));
        return vm.raise(vm.types().value_error, "empty range for randrange()");
    }
    const std::int64_t width = *stop - start;
    if (step == 1) {
        if (width > 0)
            return int_from_int64(vm, start + static_cast<std::int64_t>(generator().below(static_cast<std::uint64_t>(width))));
        return vm.raise_format(vm.types().value_error, "empty range for randrange() ({}, {}, {})", start, *stop, width);
    }
    std::int64_t count;
    if (step > 0) {
        count = (width + step - 1) / step;
    } else if (step < 0) {
        count = (width + step + 1) / step;
    } else {
        return vm.raise(vm.types().value_error, "zero step for randrange()");
    }
    if (count <= 0) return vm.raise(vm.types().value_error, "empty range for randrange()");
    return int_from_int64(vm, start + step * static_cast<std::int64_t>(generator().below(static_cast<std::uint64_t>(count))));
}

Value random_randrange(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "randrange") || !check_positional(vm, args, "randrange", 1, 3)) return Value::null();
    std::int64_t parts[3] = {0, 0, 1};
    for (std::size_t i = 0; i < args.positional_count(); ++i)
        if (!int_argument(vm, args[i], parts[i])) return Value::null();
    return randrange(vm, parts[0], args.positional_count() >= 2 ? &parts[1] : nullptr, parts[2]);
}

// randint(a, b): a <= N <= b.
Value random_randint(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "randint") || !check_positional(vm, args, "randint", 2, 2)) return Value::null();
    std::int64_t a = 0;
    std::int64_t b = 0;
    if (!int_argument(vm, args[0], a) || !int_argument(vm, args[1], b)) return Value::null();
    const std::int64_t stop = b + 1;
    return randrange(vm, a, &stop, 1);
}

Value random_choice(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "choice")) return Value::null();
    const std::int64_t length = ops::len(vm, args[0]);
    if (length < 0) return Value::null();
    if (length == 0) return vm.raise(vm.types().index_error, "Cannot choose from an empty sequence");
    const auto index = static_cast<std::int64_t>(generator().below(static_cast<std::uint64_t>(length)));
    return ops::getitem(vm, args[0], int_from_int64(vm, index));
}

// shuffle(x): Fisher-Yates from the end, as CPython.
Value random_shuffle(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "shuffle")) return Value::null();
    if (auto* list = as_exact<List>(args[0], vm.types().list)) {
        for (std::size_t i = list->items.size(); i-- > 1;) {
            const std::uint64_t j = generator().below(i + 1);
            std::swap(list->items[i], list->items[static_cast<std::size_t>(j)]);
        }
        return Value::none();
    }
    const std::int64_t length = ops::len(vm, args[0]);
    if (length < 0) return Value::null();
    for (std::int64_t i = length - 1; i > 0; --i) {
        const auto j = static_cast<std::int64_t>(generator().below(static_cast<std::uint64_t>(i + 1)));
        Root a(vm, ops::getitem(vm, args[0], Value::from_small_int(i)));
        if (a.get().is_null()) return Value::null();
        Root b(vm, ops::getitem(vm, args[0], Value::from_small_int(j)));
        if (b.get().is_null()) return Value::null();
        if (!ops::setitem(vm, args[0], Value::from_small_int(i), b.get()) ||
            !ops::setitem(vm, args[0], Value::from_small_int(j), a.get()))
            return Value::null();
    }
    return Value::none();
}

bool float_argument(VM& vm, Value value, double& out);

// choices(population, weights=None, *, cum_weights=None, k=1): k picks with replacement, by
// CPython's algorithm (floor(random() * n), or bisect over the cumulative weights), so a
// seeded program picks the same items.
Value random_choices(VM& vm, CallArgs args) {
    static const Signature signature{"choices", {"population", "weights", "cum_weights", "k"}, 0, 1, 2};
    Value bound[4];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    const std::int64_t n = ops::len(vm, bound[0]);
    if (n < 0) return Value::null();
    std::int64_t k = 1;
    if (!bound[3].is_null()) {
        const int status = index_value(vm, bound[3], k);
        if (status == 0)
            return vm.raise_format(vm.types().type_error, "'{}' object cannot be interpreted as an integer",
                                   ops::type_name(vm, bound[3]));
        if (status < 0) return Value::null();
    }
    const bool has_weights = !bound[1].is_null() && !bound[1].is_none();
    const bool has_cum = !bound[2].is_null() && !bound[2].is_none();
    if (has_weights && has_cum) return vm.raise(vm.types().type_error, "Cannot specify both weights and cumulative weights");
    std::vector<double> cum;
    if (has_weights || has_cum) {
        std::vector<Value> weights;
        if (!collect_items(vm, has_weights ? bound[1] : bound[2], weights)) return Value::null();
        double total = 0;
        for (Value w : weights) {
            double x = 0;
            if (!float_argument(vm, w, x)) return Value::null();
            total = has_weights ? total + x : x;
            cum.push_back(total);
        }
        if (static_cast<std::int64_t>(cum.size()) != n)
            return vm.raise(vm.types().value_error, "The number of weights does not match the population");
        if (n == 0 || cum.back() <= 0.0) {
            if (n == 0) return vm.raise(vm.types().index_error, "list index out of range");
            return vm.raise(vm.types().value_error, "Total of weights must be greater than zero");
        }
        if (!std::isfinite(cum.back())) return vm.raise(vm.types().value_error, "Total of weights must be finite");
    } else if (n == 0 && k > 0) {
        return vm.raise(vm.types().index_error, "list index out of range");
    }
    Root result(vm, new_list(vm));
    for (std::int64_t i = 0; i < k; ++i) {
        std::int64_t index = 0;
        if (cum.empty()) {
            index = static_cast<std::int64_t>(std::floor(generator().next_double() * static_cast<double>(n)));
        } else {
            const double x = generator().next_double() * cum.back();
            // bisect_right(cum, x, 0, n - 1)
            index = std::upper_bound(cum.begin(), cum.end() - 1, x) - cum.begin();
        }
        const Value item = ops::getitem(vm, bound[0], int_from_int64(vm, index));
        if (item.is_null()) return Value::null();
        result.as<List>()->items.push_back(item);
    }
    return result.get();
}

// A float argument (int or float).
bool float_argument(VM& vm, Value value, double& out) {
    if (value.is_double()) {
        out = value.as_double();
        return true;
    }
    std::int64_t whole = 0;
    const int status = index_value(vm, value, whole);
    if (status == 0)
        vm.raise_format(vm.types().type_error, "must be real number, not {}", ops::type_name(vm, value));
    if (status != 1) return false;
    out = static_cast<double>(whole);
    return true;
}

Value random_uniform(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "uniform") || !check_positional(vm, args, "uniform", 2, 2)) return Value::null();
    double a = 0;
    double b = 0;
    if (!float_argument(vm, args[0], a) || !float_argument(vm, args[1], b)) return Value::null();
    return Value::from_double(a + (b - a) * generator().next_double());
}

// sample(population, k): k distinct picks, by CPython's two strategies (a shrinking pool
// for small populations, rejection of repeats for large ones), so results match.
Value random_sample(VM& vm, CallArgs args) {
    static const Signature signature{"sample", {"population", "k"}, 0, 2, 2};
    Value bound[2];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    const Type* type = type_of(vm, bound[0]);
    if (is_subtype(type, vm.types().set) || is_subtype(type, vm.types().frozenset) || is_subtype(type, vm.types().dict))
        return vm.raise(vm.types().type_error,
                        "Population must be a sequence.  For dicts or sets, use sorted(d).");
    std::vector<Value> pool;
    RootVector keep_pool(vm, pool);
    if (!collect_items(vm, bound[0], pool)) return Value::null();
    std::int64_t k = 0;
    if (!int_argument(vm, bound[1], k)) return Value::null();
    const auto n = static_cast<std::int64_t>(pool.size());
    if (k < 0 || k > n) return vm.raise(vm.types().value_error, "Sample larger than population or is negative");
    std::vector<Value> result;
    RootVector keep_result(vm, result);
    std::int64_t set_size = 21;
    if (k > 5) set_size += static_cast<std::int64_t>(std::pow(4.0, std::ceil(std::log(static_cast<double>(k * 3)) / std::log(4.0))));
    if (n <= set_size) {
        for (std::int64_t i = 0; i < k; ++i) {
            const auto j = static_cast<std::size_t>(generator().below(static_cast<std::uint64_t>(n - i)));
            result.push_back(pool[j]);
            pool[j] = pool[static_cast<std::size_t>(n - i - 1)];
        }
    } else {
        std::vector<bool> selected(static_cast<std::size_t>(n), false);
        for (std::int64_t i = 0; i < k; ++i) {
            auto j = static_cast<std::size_t>(generator().below(static_cast<std::uint64_t>(n)));
            while (selected[j]) j = static_cast<std::size_t>(generator().below(static_cast<std::uint64_t>(n)));
            selected[j] = true;
            result.push_back(pool[j]);
        }
    }
    return Value::from_object(new_list(vm, std::move(result)));
}

}  // namespace

bool init_random_module(VM& vm, Module* module) {
    define_function(vm, module, "seed", random_seed);
    define_function(vm, module, "random", random_random);
    define_function(vm, module, "getrandbits", random_getrandbits);
    define_function(vm, module, "randrange", random_randrange);
    define_function(vm, module, "randint", random_randint);
    define_function(vm, module, "choice", random_choice);
    define_function(vm, module, "shuffle", random_shuffle);
    define_function(vm, module, "uniform", random_uniform);
    define_function(vm, module, "sample", random_sample);
    define_function(vm, module, "choices", random_choices);
    return true;
}

}  // namespace asy
