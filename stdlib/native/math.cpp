// The math module: C's libm for the real functions, with CPython's error rules (a nan
// from a non-nan argument is "math domain error", an infinity from a finite one is
// "math range error" or a domain error), and GMP for the integer functions (factorial,
// gcd, isqrt, comb, perm), which work on ints of any size.
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace asy {

namespace {

using numeric::BigInt;

Value domain_error(VM& vm) { return vm.raise(vm.types().value_error, "math domain error"); }
Value range_error(VM& vm) { return vm.raise(vm.types().overflow_error, "math range error"); }

// The one argument of a math function as a double ("must be real number, not str").
bool one_real(VM& vm, CallArgs args, std::string_view name, double& x) {
    if (!check_one_argument(vm, args, name)) return false;
    return real_to_double(vm, args[0], x);
}

// Checks a libm result as CPython's math_1 does.
Value checked_result(VM& vm, double x, double r, bool can_overflow) {
    if (std::isnan(r) && !std::isnan(x)) return domain_error(vm);
    if (std::isinf(r) && std::isfinite(x)) return can_overflow ? range_error(vm) : domain_error(vm);
    return Value::from_double(r);
}

// One libm function of one argument, as a math module function.
template <double (*f)(double), bool can_overflow>
Value math_unary(VM& vm, CallArgs args) {
    double x = 0;
    if (!one_real(vm, args, "math function", x)) return Value::null();
    return checked_result(vm, x, f(x), can_overflow);
}

double c_sqrt(double x) { return std::sqrt(x); }
double c_exp(double x) { return std::exp(x); }
double c_expm1(double x) { return std::expm1(x); }
double c_sin(double x) { return std::sin(x); }
double c_cos(double x) { return std::cos(x); }
double c_tan(double x) { return std::tan(x); }
double c_asin(double x) { return std::asin(x); }
double c_acos(double x) { return std::acos(x); }
double c_atan(double x) { return std::atan(x); }
double c_sinh(double x) { return std::sinh(x); }
double c_cosh(double x) { return std::cosh(x); }
double c_tanh(double x) { return std::tanh(x); }
double c_asinh(double x) { return std::asinh(x); }
double c_acosh(double x) { return std::acosh(x); }
double c_atanh(double x) { return std::atanh(x); }
double c_fabs(double x) { return std::fabs(x); }
double c_erf(double x) { return std::erf(x); }
double c_erfc(double x) { return std::erfc(x); }
double c_log1p(double x) { return x <= -1.0 ? std::nan("") : std::log1p(x); }
double c_degrees(double x) { return x * (180.0 / std::numbers::pi); }
double c_radians(double x) { return x * (std::numbers::pi / 180.0); }
double c_gamma(double x) {
    // Poles at zero and the negative integers.
    if (x == 0.0 || (x < 0 && std::floor(x) == x) || x == -HUGE_VAL) return std::nan("");
    return std::tgamma(x);
}
double c_lgamma(double x) {
    if (x == 0.0 || (x < 0 && std::floor(x) == x)) return HUGE_VAL;
    return std::lgamma(x);
}

// A log function of any positive real, including ints too large for a double: as CPython
// does, n = m * 2**e with 0.5 <= m < 1 and log(n) = log(m) + log(2) * e.
bool log_of(VM& vm, Value value, double (*log_function)(double), double& out) {
    if (is_int(vm, value)) {
        BigInt n = int_to_big(value);
        if (n.sign() <= 0) {
            domain_error(vm);
            return false;
        }
        if (std::optional<double> x = n.to_double()) {
            out = log_function(*x);
            return true;
        }
        auto e = static_cast<std::int64_t>(n.bit_length());
        // The top 64 bits, scaled into [0.5, 1).
        double m = std::ldexp(*n.shifted_right(static_cast<std::uint64_t>(e - 64)).to_double(), -64);
        out = log_function(m) + log_function(2.0) * static_cast<double>(e);
        return true;
    }
    double x = 0;
    if (!real_to_double(vm, value, x)) return false;
    if (std::isnan(x)) {
        out = x;
        return true;
    }
    if (x <= 0) {
        domain_error(vm);
        return false;
    }
    out = log_function(x);
    return true;
}

double c_log(double x) { return std::log(x); }
double c_log2(double x) { return std::log2(x); }
double c_log10(double x) { return std::log10(x); }

Value math_log(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "log") || !check_positional(vm, args, "log", 1, 2)) return Value::null();
    double numerator = 0;
    if (!log_of(vm, args[0], c_log, numerator)) return Value::null();
    if (args.positional_count() == 1) return Value::from_double(numerator);
    double denominator = 0;
    if (!log_of(vm, args[1], c_log, denominator)) return Value::null();
    if (denominator == 0.0) return vm.raise(vm.types().zero_division_error, "float division by zero");
    return Value::from_double(numerator / denominator);
}

template <int base>
Value math_log_base(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, base == 2 ? "log2" : "log10")) return Value::null();
    double result = 0;
    if (!log_of(vm, args[0], base == 2 ? c_log2 : c_log10, result)) return Value::null();
    return Value::from_double(result);
}

// floor, ceil, trunc: ints stay ints; floats round to an int; others use __floor__ & co.
template <int kind>
Value math_to_int(VM& vm, CallArgs args) {
    constexpr const char* name = kind == 0 ? "floor" : kind == 1 ? "ceil" : "trunc";
    if (!check_one_argument(vm, args, name)) return Value::null();
    Value x = args[0];
    if (is_int(vm, x)) return x.is_bool() ? Value::from_small_int(x.as_bool()) : x;
    if (x.is_double()) {
        double d = x.as_double();
        return int_from_double(vm, kind == 0 ? std::floor(d) : kind == 1 ? std::ceil(d) : std::trunc(d));
    }
    bool found = false;
    Value result = call_dunder_method(vm, x, vm.intern(kind == 0 ? "__floor__" : kind == 1 ? "__ceil__" : "__trunc__"), found);
    if (found) return result;
    if (kind == 2) {
        return vm.raise_format(vm.types().type_error, "type {} doesn't define __trunc__ method", ops::type_name(vm, x));
    }
    double d = 0;
    if (!real_to_double(vm, x, d)) return Value::null();
    return int_from_double(vm, kind == 0 ? std::floor(d) : std::ceil(d));
}

Value math_bool_test(VM& vm, CallArgs args, int which) {
    double x = 0;
    if (!one_real(vm, args, which == 0 ? "isnan" : which == 1 ? "isinf" : "isfinite", x)) return Value::null();
    return Value::from_bool(which == 0 ? std::isnan(x) : which == 1 ? std::isinf(x) : std::isfinite(x));
}
Value math_isnan(VM& vm, CallArgs args) { return math_bool_test(vm, args, 0); }
Value math_isinf(VM& vm, CallArgs args) { return math_bool_test(vm, args, 1); }
Value math_isfinite(VM& vm, CallArgs args) { return math_bool_test(vm, args, 2); }

// Two-argument real functions.
bool two_reals(VM& vm, CallArgs args, std::string_view name, double& x, double& y) {
    if (!check_no_keywords(vm, args, name) || !check_positional(vm, args, name, 2, 2)) return false;
    return real_to_double(vm, args[0], x) && real_to_double(vm, args[1], y);
}

Value math_atan2(VM& vm, CallArgs args) {
    double y = 0, x = 0;
    if (!two_reals(vm, args, "atan2", y, x)) return Value::null();
    return Value::from_double(std::atan2(y, x));
}

Value math_copysign(VM& vm, CallArgs args) {
    double x = 0, y = 0;
    if (!two_reals(vm, args, "copysign", x, y)) return Value::null();
    return Value::from_double(std::copysign(x, y));
}

Value math_fmod(VM& vm, CallArgs args) {
    double x = 0, y = 0;
    if (!two_reals(vm, args, "fmod", x, y)) return Value::null();
    if (y == 0.0 && !std::isnan(x)) return domain_error(vm);
    if (std::isinf(x) && !std::isnan(y)) return domain_error(vm);
    return Value::from_double(std::fmod(x, y));
}

Value math_remainder(VM& vm, CallArgs args) {
    double x = 0, y = 0;
    if (!two_reals(vm, args, "remainder", x, y)) return Value::null();
    if ((y == 0.0 && !std::isnan(x)) || (std::isinf(x) && !std::isnan(y))) return domain_error(vm);
    return Value::from_double(std::remainder(x, y));
}

Value math_pow(VM& vm, CallArgs args) {
    double x = 0, y = 0;
    if (!two_reals(vm, args, "pow", x, y)) return Value::null();
    // C's pow has Python's special cases (pow(1, nan) == 1, pow(0, 0) == 1...).
    double r = std::pow(x, y);
    if (std::isfinite(x) && std::isfinite(y)) {
        if (std::isnan(r)) return domain_error(vm);
        if (std::isinf(r)) return x == 0.0 ? domain_error(vm) : range_error(vm);
    }
    return Value::from_double(r);
}

Value math_ldexp(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "ldexp", 2, 2)) return Value::null();
    double x = 0;
    if (!real_to_double(vm, args[0], x)) return Value::null();
    if (!is_int(vm, args[1])) return vm.raise(vm.types().type_error, "Expected an int as second argument to ldexp.");
    std::int64_t e = 0;
    if (!int_fits_int64(args[1], e)) e = int_to_big(args[1]).sign() < 0 ? -100000 : 100000;
    e = std::clamp<std::int64_t>(e, -100000, 100000);
    double r = std::ldexp(x, static_cast<int>(e));
    if (std::isinf(r) && std::isfinite(x)) return range_error(vm);
    return Value::from_double(r);
}

Value math_frexp(VM& vm, CallArgs args) {
    double x = 0;
    if (!one_real(vm, args, "frexp", x)) return Value::null();
    int e = 0;
    double m = std::isfinite(x) ? std::frexp(x, &e) : x;
    Value items[] = {Value::from_double(m), Value::from_small_int(e)};
    return Value::from_object(new_tuple(vm, items));
}

Value math_modf(VM& vm, CallArgs args) {
    double x = 0;
    if (!one_real(vm, args, "modf", x)) return Value::null();
    double integral = 0;
    double fraction = std::isinf(x) ? std::copysign(0.0, x) : std::modf(x, &integral);
    if (std::isinf(x)) integral = x;
    Value items[] = {Value::from_double(fraction), Value::from_double(integral)};
    return Value::from_object(new_tuple(vm, items));
}

// hypot(*coordinates)
Value math_hypot(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "hypot")) return Value::null();
    double result = 0;
    bool any_nan = false, any_inf = false;
    for (Value v : args.positional()) {
        double x = 0;
        if (!real_to_double(vm, v, x)) return Value::null();
        any_nan |= std::isnan(x);
        any_inf |= std::isinf(x);
        result = std::hypot(result, x);
    }
    if (any_inf) return Value::from_double(HUGE_VAL);
    if (any_nan) return Value::from_double(std::nan(""));
    return Value::from_double(result);
}

// fsum(iterable): the correctly rounded sum, with Shewchuk's exact partial sums
// (CPython's math_fsum).
Value math_fsum(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "fsum")) return Value::null();
    std::vector<double> partials;
    double special_sum = 0.0, inf_sum = 0.0;
    bool ok = for_each_item(vm, args[0], [&](Value item) {
        double x = 0;
        if (!real_to_double(vm, item, x)) return false;
        double original = x;
        if (!std::isfinite(x)) {
            // Infinities and nans are summed on the side.
            if (std::isinf(x)) inf_sum += x;
            special_sum += x;
            return true;
        }
        std::size_t i = 0;
        for (double y : partials) {
            if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) partials[i++] = lo;
            x = hi;
        }
        partials.resize(i);
        if (!std::isfinite(x)) {
            vm.raise(vm.types().overflow_error, "intermediate overflow in fsum");
            return false;
        }
        partials.push_back(x);
        (void)original;
        return true;
    });
    if (!ok) return Value::null();
    if (special_sum != 0.0) {
        if (std::isnan(inf_sum)) return vm.raise(vm.types().value_error, "-inf + inf in fsum");
        return Value::from_double(special_sum);
    }
    double hi = 0.0;
    if (!partials.empty()) {
        std::size_t n = partials.size();
        hi = partials[--n];
        double lo = 0;
        // Sum from the top, stopping when the sum becomes inexact.
        while (n > 0) {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) break;
        }
        // Round half to even correctly when the next partial has the same sign.
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) hi = x;
        }
    }
    return Value::from_double(hi);
}

Value math_isclose(VM& vm, CallArgs args) {
    static const Signature signature{"isclose", {"a", "b", "rel_tol", "abs_tol"}, 2, 2, 2};
    Value bound[4];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    double a = 0, b = 0, rel_tol = 1e-09, abs_tol = 0.0;
    if (!real_to_double(vm, bound[0], a) || !real_to_double(vm, bound[1], b)) return Value::null();
    if (!bound[2].is_null() && !real_to_double(vm, bound[2], rel_tol)) return Value::null();
    if (!bound[3].is_null() && !real_to_double(vm, bound[3], abs_tol)) return Value::null();
    if (rel_tol < 0.0 || abs_tol < 0.0) return vm.raise(vm.types().value_error, "tolerances must be non-negative");
    if (a == b) return Value::from_bool(true);
    if (std::isinf(a) || std::isinf(b)) return Value::from_bool(false);
    double diff = std::fabs(b - a);
    return Value::from_bool((diff <= std::fabs(rel_tol * b)) || (diff <= std::fabs(rel_tol * a)) || (diff <= abs_tol));
}

// ---- integer functions

// An int argument ("'float' object cannot be interpreted as an integer").
bool int_arg(VM& vm, Value value, BigInt& out) {
    if (!is_int(vm, value)) {
        bool found = false;
        Value result = call_dunder_method(vm, value, vm.names().index, found);
        if (found) {
            if (result.is_null()) return false;
            if (is_int(vm, result)) {
                out = int_to_big(result);
                return true;
            }
        }
        vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, value));
        return false;
    }
    out = int_to_big(value);
    return true;
}

Value math_factorial(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "factorial")) return Value::null();
    BigInt n;
    if (!int_arg(vm, args[0], n)) return Value::null();
    if (n.sign() < 0) return vm.raise(vm.types().value_error, "factorial() not defined for negative values");
    if (!n.fits_int64() || n.to_int64() > 1000000) {
        return vm.raise(vm.types().overflow_error, "factorial() argument should not exceed 1000000");
    }
    return int_from_big(vm, BigInt::factorial(static_cast<std::uint64_t>(n.to_int64())));
}

template <bool lcm>
Value math_gcd_lcm(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, lcm ? "lcm" : "gcd")) return Value::null();
    BigInt result(lcm ? 1 : 0);
    for (Value v : args.positional()) {
        BigInt n;
        if (!int_arg(vm, v, n)) return Value::null();
        if (lcm) {
            if (n.is_zero() || result.is_zero()) {
                result = BigInt(0);
                continue;
            }
            BigInt g = BigInt::gcd(result, n);
            result = (BigInt::floor_divide(result, g) * n).absolute();
        } else {
            result = BigInt::gcd(result, n);
        }
    }
    return int_from_big(vm, std::move(result));
}

Value math_isqrt(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "isqrt")) return Value::null();
    BigInt n;
    if (!int_arg(vm, args[0], n)) return Value::null();
    if (n.sign() < 0) return vm.raise(vm.types().value_error, "isqrt() argument must be nonnegative");
    return int_from_big(vm, n.isqrt());
}

// comb(n, k) and perm(n, k=None)
template <bool permutations>
Value math_comb_perm(VM& vm, CallArgs args) {
    constexpr const char* name = permutations ? "perm" : "comb";
    if (!check_no_keywords(vm, args, name) || !check_positional(vm, args, name, permutations ? 1 : 2, 2)) {
        return Value::null();
    }
    BigInt n, k;
    if (!int_arg(vm, args[0], n)) return Value::null();
    bool k_given = args.positional_count() > 1 && !args[1].is_none();
    if (k_given && !int_arg(vm, args[1], k)) return Value::null();
    if (n.sign() < 0) return vm.raise(vm.types().value_error, "n must be a non-negative integer");
    if (!k_given) k = n;
    if (k.sign() < 0) return vm.raise(vm.types().value_error, "k must be a non-negative integer");
    if (k.compare(n) > 0) return Value::from_small_int(0);
    if (!k.fits_int64() || k.to_int64() > 10000000) return vm.raise(vm.types().overflow_error, "min(n - k, k) must not exceed 9223372036854775807");
    BigInt result(1);
    std::int64_t count = k.to_int64();
    if (permutations) {
        for (std::int64_t i = 0; i < count; ++i) result = result * (n - BigInt(i));
        return int_from_big(vm, std::move(result));
    }
    // comb: use the smaller of k and n - k, with mpz_bin_ui when n fits.
    BigInt other = n - k;
    if (other.compare(k) < 0) count = other.to_int64();
    mpz_bin_ui(result.raw(), n.raw(), static_cast<unsigned long>(count));
    return int_from_big(vm, std::move(result));
}

Value math_prod(VM& vm, CallArgs args) {
    static const Signature signature{"prod", {"iterable", "start"}, 1, 1, 1};
    Value bound[2];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    Root result(vm, bound[1].is_null() ? Value::from_small_int(1) : bound[1]);
    bool ok = for_each_item(vm, bound[0], [&](Value item) {
        Value product = ops::binary_op(vm, BinaryOp::Multiply, result.get(), item);
        if (product.is_null()) return false;
        result.set(product);
        return true;
    });
    if (!ok) return Value::null();
    return result.get();
}

Value math_dist(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "dist", 2, 2)) return Value::null();
    std::vector<Value> p, q;
    RootVector rp(vm, p), rq(vm, q);
    if (!collect_items(vm, args[0], p) || !collect_items(vm, args[1], q)) return Value::null();
    if (p.size() != q.size()) return vm.raise(vm.types().value_error, "both points must have the same number of dimensions");
    double result = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        double a = 0, b = 0;
        if (!real_to_double(vm, p[i], a) || !real_to_double(vm, q[i], b)) return Value::null();
        result = std::hypot(result, a - b);
    }
    return Value::from_double(result);
}

bool init_math(VM& vm, Module* module) {
    struct Function {
        const char* name;
        NativeFunction function;
    };
    static const Function functions[] = {
        {"sqrt", math_unary<c_sqrt, false>},
        {"exp", math_unary<c_exp, true>},
        {"expm1", math_unary<c_expm1, true>},
        {"sin", math_unary<c_sin, false>},
        {"cos", math_unary<c_cos, false>},
        {"tan", math_unary<c_tan, false>},
        {"asin", math_unary<c_asin, false>},
        {"acos", math_unary<c_acos, false>},
        {"atan", math_unary<c_atan, false>},
        {"sinh", math_unary<c_sinh, true>},
        {"cosh", math_unary<c_cosh, true>},
        {"tanh", math_unary<c_tanh, false>},
        {"asinh", math_unary<c_asinh, false>},
        {"acosh", math_unary<c_acosh, false>},
        {"atanh", math_unary<c_atanh, false>},
        {"fabs", math_unary<c_fabs, false>},
        {"erf", math_unary<c_erf, false>},
        {"erfc", math_unary<c_erfc, false>},
        {"log1p", math_unary<c_log1p, false>},
        {"gamma", math_unary<c_gamma, true>},
        {"lgamma", math_unary<c_lgamma, true>},
        {"degrees", math_unary<c_degrees, true>},
        {"radians", math_unary<c_radians, false>},
        {"log", math_log},
        {"log2", math_log_base<2>},
        {"log10", math_log_base<10>},
        {"floor", math_to_int<0>},
        {"ceil", math_to_int<1>},
        {"trunc", math_to_int<2>},
        {"isnan", math_isnan},
        {"isinf", math_isinf},
        {"isfinite", math_isfinite},
        {"isclose", math_isclose},
        {"atan2", math_atan2},
        {"copysign", math_copysign},
        {"fmod", math_fmod},
        {"remainder", math_remainder},
        {"pow", math_pow},
        {"ldexp", math_ldexp},
        {"frexp", math_frexp},
        {"modf", math_modf},
        {"hypot", math_hypot},
        {"dist", math_dist},
        {"fsum", math_fsum},
        {"factorial", math_factorial},
        {"gcd", math_gcd_lcm<false>},
        {"lcm", math_gcd_lcm<true>},
        {"isqrt", math_isqrt},
        {"comb", math_comb_perm<false>},
        {"perm", math_comb_perm<true>},
        {"prod", math_prod},
    };
    for (const Function& f : functions) define_function(vm, module, f.name, f.function);
    struct Constant {
        const char* name;
        double value;
    };
    static const Constant constants[] = {
        {"pi", std::numbers::pi}, {"e", std::numbers::e}, {"tau", 2 * std::numbers::pi},
        {"inf", HUGE_VAL},        {"nan", std::nan("")},
    };
    for (const Constant& c : constants) dict_set_str(vm, module->dict, vm.intern(c.name), Value::from_double(c.value));
    return true;
}

}  // namespace

void init_math_module(VM& vm) { vm.register_native_module("math", init_math); }

}  // namespace asy
