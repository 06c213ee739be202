// The int and bool types. Ints live in two forms: small ints inline in the Value (48 bits,
// value.hpp) and BigInt objects (objects/int.hpp) for everything else. Every operation
// works on the small form when it can and on numeric::BigInt (GMP) otherwise, and every
// result goes back through int_from_big, so a value has exactly one form: a BigInt object
// never holds a number that fits the small range.
#include "runtime/objects/int.hpp"

#include "runtime/numeric/float_ops.hpp"
#include "runtime/objects/bytes.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/text/format_spec.hpp"
#include "runtime/text/utf8.hpp"
#include "runtime/vm.hpp"

#include <bit>
#include <cmath>

namespace asy {

// numeric::BigInt is the GMP engine; asy::BigInt (int.hpp) is the heap object holding one.
using Big = numeric::BigInt;
using HeapBigInt = asy::BigInt;

namespace {

// CPython 3.11 refuses to convert ints of more than this many decimal digits to or from
// text (a defence against quadratic-time conversions; sys.set_int_max_str_digits).
constexpr std::size_t max_str_digits = 4300;

// Exponents and shifts whose result would need more bits than this are refused with
// MemoryError instead of exhausting memory.
constexpr std::uint64_t max_result_bits = std::uint64_t{1} << 32;

HeapBigInt* as_heap_big(Value value) { return static_cast<HeapBigInt*>(value.as_object()); }

// The int64 value of a small int or bool.
bool small_value(Value value, std::int64_t& out) {
    if (value.is_small_int()) {
        out = value.as_small_int();
        return true;
    }
    if (value.is_bool()) {
        out = value.as_bool() ? 1 : 0;
        return true;
    }
    return false;
}

Value raise_zero_division(VM& vm, const char* message) {
    return vm.raise(vm.types().zero_division_error, message);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The shared int API (int.hpp, numbers.hpp)

Value int_from_int64(VM& vm, std::int64_t i) {
    if (Value::fits_small_int(i)) return Value::from_small_int(i);
    return int_from_big(vm, Big(i));
}

Value int_from_decimal(VM& vm, std::string_view digits) {
    std::optional<Big> parsed = Big::parse(digits, 10);
    if (!parsed) return vm.raise(vm.types().value_error, numeric::invalid_literal_message(10, text::repr(digits)));
    return int_from_big(vm, std::move(*parsed));
}

Value int_from_mpz(VM& vm, const mpz_t value) {
    Big copy;
    mpz_set(copy.raw(), value);
    return int_from_big(vm, std::move(copy));
}

Value int_from_big(VM& vm, Big&& value) {
    if (value.fits_int64()) {
        std::int64_t i = value.to_int64();
        if (Value::fits_small_int(i)) return Value::from_small_int(i);
    }
    HeapBigInt* object = vm.heap().allocate<HeapBigInt>(vm.types().int_);
    // Take the limbs over instead of copying them.
    mpz_swap(object->value, value.raw());
    vm.heap().note_external_bytes(static_cast<std::ptrdiff_t>(mpz_size(object->value) * sizeof(mp_limb_t)));
    return Value::from_object(object);
}

bool is_int(VM& vm, Value value) {
    return value.is_small_int() || value.is_bool() ||
           (value.is_object() && is_subtype(value.as_object()->type, vm.types().int_));
}

Big int_to_big(Value value) {
    std::int64_t i = 0;
    if (small_value(value, i)) return Big(i);
    Big out;
    mpz_set(out.raw(), as_heap_big(value)->value);
    return out;
}

bool int_fits_int64(Value value, std::int64_t& out) {
    if (small_value(value, out)) return true;
    if (!mpz_fits_slong_p(as_heap_big(value)->value)) return false;
    out = mpz_get_si(as_heap_big(value)->value);
    return true;
}

bool int_to_int64(VM& vm, Value value, std::int64_t& out) {
    if (!is_int(vm, value)) {
        vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, value));
        return false;
    }
    if (int_fits_int64(value, out)) return true;
    vm.raise(vm.types().overflow_error, "Python int too large to convert to C ssize_t");
    return false;
}

bool int_to_double(VM& vm, Value value, double& out) {
    std::int64_t i = 0;
    // Small ints have at most 48 bits, so the conversion is exact.
    if (small_value(value, i)) {
        out = static_cast<double>(i);
        return true;
    }
    std::optional<double> d = int_to_big(value).to_double();
    if (!d) {
        vm.raise(vm.types().overflow_error, "int too large to convert to float");
        return false;
    }
    out = *d;
    return true;
}

Value int_from_double(VM& vm, double value) {
    if (std::isinf(value)) return vm.raise(vm.types().overflow_error, "cannot convert float infinity to integer");
    if (std::isnan(value)) return vm.raise(vm.types().value_error, "cannot convert float NaN to integer");
    double truncated = std::trunc(value);
    if (std::fabs(truncated) < 1e15) return Value::from_small_int(static_cast<std::int64_t>(truncated));
    return int_from_big(vm, Big::from_double(truncated));
}

int compare_int_double(Value int_value, double d) {
    std::int64_t i = 0;
    // Small ints convert to double exactly.
    if (small_value(int_value, i)) {
        double x = static_cast<double>(i);
        return (x > d) - (x < d);
    }
    return int_to_big(int_value).compare_double(d);
}

std::int64_t int_hash(Value value) {
    std::int64_t i = 0;
    // Small ints are far below the hash modulus 2**61 - 1, so they hash to themselves,
    // except -1, which CPython reserves as an error marker.
    if (small_value(value, i)) return i == -1 ? -2 : i;
    return int_to_big(value).hash();
}

// ---------------------------------------------------------------------------------------
// Arithmetic

namespace {

// Strips the in-place offset: `x += 1` computes like `x + 1` for immutable ints.
BinaryOp base_operator(BinaryOp op) {
    auto n = static_cast<int>(op);
    return n >= inplace_offset ? static_cast<BinaryOp>(n - inplace_offset) : op;
}

// int ** int with a negative exponent is computed in floats (2 ** -1 == 0.5).
Value negative_power(VM& vm, Value base, Value exponent) {
    double b = 0, e = 0;
    if (!int_to_double(vm, base, b) || !int_to_double(vm, exponent, e)) return Value::null();
    numeric::PowError error;
    double result = numeric::float_pow(b, e, error);
    if (error == numeric::PowError::ZeroToNegative) {
        return raise_zero_division(vm, "0.0 cannot be raised to a negative power");
    }
    if (error == numeric::PowError::Overflow) {
        return vm.raise(vm.types().overflow_error, "(34, 'Numerical result out of range')");
    }
    return Value::from_double(result);
}

Value int_power(VM& vm, Value base_value, Value exponent_value) {
    Big exponent = int_to_big(exponent_value);
    if (exponent.sign() < 0) return negative_power(vm, base_value, exponent_value);
    Big base = int_to_big(base_value);
    // 0, 1 and -1 stay small whatever the exponent.
    if (base.is_zero()) return Value::from_small_int(exponent.is_zero() ? 1 : 0);
    if (base == 1) return Value::from_small_int(1);
    if (base == -1) {
        bool odd = mpz_odd_p(exponent.raw()) != 0;
        return Value::from_small_int(odd ? -1 : 1);
    }
    if (!exponent.fits_int64() || base.bit_length() * static_cast<std::uint64_t>(exponent.to_int64()) > max_result_bits) {
        return vm.raise(vm.types().memory_error);
    }
    return int_from_big(vm, Big::pow(base, static_cast<std::uint64_t>(exponent.to_int64())));
}

Value int_shift(VM& vm, BinaryOp op, Value left, Value right) {
    Big count = int_to_big(right);
    if (count.sign() < 0) return vm.raise(vm.types().value_error, "negative shift count");
    Big value = int_to_big(left);
    if (op == BinaryOp::RShift) {
        // Shifting right by more bits than the value has leaves 0 or -1.
        if (!count.fits_int64() || static_cast<std::uint64_t>(count.to_int64()) > value.bit_length()) {
            return Value::from_small_int(value.sign() < 0 ? -1 : 0);
        }
        return int_from_big(vm, value.shifted_right(static_cast<std::uint64_t>(count.to_int64())));
    }
    if (value.is_zero()) return Value::from_small_int(0);
    if (!count.fits_int64()) return vm.raise(vm.types().overflow_error, "too many digits in integer");
    if (static_cast<std::uint64_t>(count.to_int64()) > max_result_bits) return vm.raise(vm.types().memory_error);
    return int_from_big(vm, value.shifted_left(static_cast<std::uint64_t>(count.to_int64())));
}

Value int_true_divide(VM& vm, Value left, Value right) {
    std::int64_t a = 0, b = 0;
    if (small_value(left, a) && small_value(right, b)) {
        if (b == 0) return raise_zero_division(vm, "division by zero");
        // Both fit in 53 bits, so one IEEE division is correctly rounded.
        return Value::from_double(static_cast<double>(a) / static_cast<double>(b));
    }
    Big divisor = int_to_big(right);
    if (divisor.is_zero()) return raise_zero_division(vm, "division by zero");
    std::optional<double> result = Big::true_divide(int_to_big(left), divisor);
    if (!result) return vm.raise(vm.types().overflow_error, "integer division result too large for a float");
    return Value::from_double(*result);
}

// a op b for two int64 values without overflow, or false to take the GMP path.
bool small_arithmetic(BinaryOp op, std::int64_t a, std::int64_t b, std::int64_t& out) {
    switch (op) {
    case BinaryOp::Add: out = a + b; return true;        // 48-bit operands cannot overflow
    case BinaryOp::Subtract: out = a - b; return true;
    case BinaryOp::Multiply: {
        auto magnitude = [](std::int64_t x) { return x < 0 ? static_cast<std::uint64_t>(-x) : static_cast<std::uint64_t>(x); };
        if (std::bit_width(magnitude(a)) + std::bit_width(magnitude(b)) > 62) return false;
        out = a * b;
        return true;
    }
    case BinaryOp::FloorDivide: {
        std::int64_t q = a / b;
        // C++ truncates; Python floors.
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        out = q;
        return true;
    }
    case BinaryOp::Remainder: {
        std::int64_t r = a % b;
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        out = r;
        return true;
    }
    case BinaryOp::And: out = a & b; return true;
    case BinaryOp::Or: out = a | b; return true;
    case BinaryOp::Xor: out = a ^ b; return true;
    default: return false;
    }
}

}  // namespace

Value int_binary_op(VM& vm, BinaryOp op, Value left, Value right) {
    op = base_operator(op);
    switch (op) {
    case BinaryOp::TrueDivide: return int_true_divide(vm, left, right);
    case BinaryOp::Power: return int_power(vm, left, right);
    case BinaryOp::LShift:
    case BinaryOp::RShift: return int_shift(vm, op, left, right);
    case BinaryOp::MatrixMultiply: return vm.not_implemented();
    default: break;
    }
    bool divides = op == BinaryOp::FloorDivide || op == BinaryOp::Remainder;
    std::int64_t a = 0, b = 0;
    if (small_value(left, a) && small_value(right, b)) {
        if (divides && b == 0) {
            return raise_zero_division(vm, op == BinaryOp::Remainder ? "integer modulo by zero"
                                                                     : "integer division or modulo by zero");
        }
        std::int64_t result = 0;
        if (small_arithmetic(op, a, b, result)) return int_from_int64(vm, result);
    }
    Big x = int_to_big(left), y = int_to_big(right);
    if (divides && y.is_zero()) {
        return raise_zero_division(vm, op == BinaryOp::Remainder ? "integer modulo by zero"
                                                                 : "integer division or modulo by zero");
    }
    switch (op) {
    case BinaryOp::Add: return int_from_big(vm, x + y);
    case BinaryOp::Subtract: return int_from_big(vm, x - y);
    case BinaryOp::Multiply:
        if (x.bit_length() + y.bit_length() > max_result_bits) return vm.raise(vm.types().memory_error);
        return int_from_big(vm, x * y);
    case BinaryOp::FloorDivide: return int_from_big(vm, Big::floor_divide(x, y));
    case BinaryOp::Remainder: return int_from_big(vm, Big::modulo(x, y));
    case BinaryOp::And: return int_from_big(vm, x & y);
    case BinaryOp::Or: return int_from_big(vm, x | y);
    case BinaryOp::Xor: return int_from_big(vm, x ^ y);
    default: return vm.not_implemented();
    }
}

Value int_divmod(VM& vm, Value left, Value right) {
    Big x = int_to_big(left), y = int_to_big(right);
    if (y.is_zero()) return raise_zero_division(vm, "integer division or modulo by zero");
    auto [q, r] = Big::divmod(x, y);
    Root quotient(vm, int_from_big(vm, std::move(q)));
    Value remainder = int_from_big(vm, std::move(r));
    Value items[] = {quotient.get(), remainder};
    return Value::from_object(new_tuple(vm, items));
}

Value int_pow_mod(VM& vm, Value base, Value exponent, Value modulus) {
    Big m = int_to_big(modulus);
    if (m.is_zero()) return vm.raise(vm.types().value_error, "pow() 3rd argument cannot be 0");
    std::optional<Big> result = Big::pow_mod(int_to_big(base), int_to_big(exponent), m);
    if (!result) return vm.raise(vm.types().value_error, "base is not invertible for the given modulus");
    return int_from_big(vm, std::move(*result));
}

// ---------------------------------------------------------------------------------------
// Slots

namespace {

// str(i): decimal digits, refused beyond CPython's 4300-digit limit.
String* int_repr(VM& vm, Value self) {
    std::int64_t i = 0;
    if (self.is_small_int()) return new_string(vm, std::to_string(self.as_small_int()));
    if (small_value(self, i)) return new_string(vm, std::string_view(i ? "True" : "False"));
    const HeapBigInt* big = as_heap_big(self);
    if (mpz_sizeinbase(big->value, 10) > max_str_digits + 1) {
        vm.raise(vm.types().value_error,
                 "Exceeds the limit (4300 digits) for integer string conversion; use "
                 "sys.set_int_max_str_digits() to increase the limit");
        return nullptr;
    }
    std::string digits = int_to_big(self).to_string(10);
    if (digits.size() - (digits[0] == '-') > max_str_digits) {
        vm.raise(vm.types().value_error,
                 "Exceeds the limit (4300 digits) for integer string conversion; use "
                 "sys.set_int_max_str_digits() to increase the limit");
        return nullptr;
    }
    return new_string(vm, std::move(digits));
}

// bool's repr is its name; int's repr of a bool would be 1 or 0.
String* bool_repr(VM& vm, Value self) { return new_string(vm, std::string_view(self.as_bool() ? "True" : "False")); }

bool int_hash_slot(VM&, Value self, std::int64_t& out) {
    out = int_hash(self);
    return true;
}

bool compare_result(int c, CompareOp op) {
    switch (op) {
    case CompareOp::Lt: return c < 0;
    case CompareOp::Le: return c <= 0;
    case CompareOp::Eq: return c == 0;
    case CompareOp::Ne: return c != 0;
    case CompareOp::Gt: return c > 0;
    case CompareOp::Ge: return c >= 0;
    }
    return false;
}

Value int_compare(VM& vm, Value self, Value other, CompareOp op) {
    if (!is_int(vm, other)) return vm.not_implemented();
    std::int64_t a = 0, b = 0;
    int c;
    if (small_value(self, a) && small_value(other, b)) c = (a > b) - (a < b);
    else c = int_to_big(self).compare(int_to_big(other));
    return Value::from_bool(compare_result(c, op));
}

Value int_binary_slot(VM& vm, BinaryOp op, Value left, Value right) {
    if (!is_int(vm, left) || !is_int(vm, right)) return vm.not_implemented();
    return int_binary_op(vm, op, left, right);
}

// bool & bool, bool | bool and bool ^ bool stay bools; everything else is int arithmetic.
Value bool_binary_slot(VM& vm, BinaryOp op, Value left, Value right) {
    BinaryOp base = base_operator(op);
    if (left.is_bool() && right.is_bool()) {
        bool a = left.as_bool(), b = right.as_bool();
        if (base == BinaryOp::And) return Value::from_bool(a && b);
        if (base == BinaryOp::Or) return Value::from_bool(a || b);
        if (base == BinaryOp::Xor) return Value::from_bool(a != b);
    }
    return int_binary_slot(vm, op, left, right);
}

Value int_unary(VM& vm, UnaryOp op, Value self) {
    std::int64_t i = 0;
    if (small_value(self, i)) {
        switch (op) {
        case UnaryOp::Negative: return int_from_int64(vm, -i);
        case UnaryOp::Positive: return Value::from_small_int(i);
        case UnaryOp::Invert: return int_from_int64(vm, ~i);
        }
    }
    Big x = int_to_big(self);
    switch (op) {
    case UnaryOp::Negative: return int_from_big(vm, x.negated());
    case UnaryOp::Positive: return self;
    case UnaryOp::Invert: return int_from_big(vm, x.inverted());
    }
    return vm.not_implemented();
}

int int_bool(VM&, Value self) {
    std::int64_t i = 0;
    if (small_value(self, i)) return i != 0;
    return 1;  // a BigInt object is never zero
}

// Raises the error a format engine reported.
String* raise_format_error(VM& vm, const text::FormatError& error) {
    vm.raise(error.kind == text::FormatError::Kind::ValueError ? vm.types().value_error : vm.types().overflow_error,
             error.message);
    return nullptr;
}

String* int_format(VM& vm, Value self, String* spec) {
    // An empty spec is str(self): 'True' for a bool.
    if (spec->utf8.empty()) return ops::str(vm, self);
    std::string type_name = ops::type_name(vm, self);
    auto parsed = text::parse_format_spec(spec->utf8, 'd', '>', type_name);
    if (auto* error = std::get_if<text::FormatError>(&parsed)) return raise_format_error(vm, *error);
    const auto& format = std::get<text::FormatSpec>(parsed);
    std::int64_t i = 0;
    text::FormatResult result = int_fits_int64(self, i) ? text::format_int(i, format, type_name)
                                                        : text::format_int(int_to_big(self), format, type_name);
    if (auto* error = std::get_if<text::FormatError>(&result)) return raise_format_error(vm, *error);
    return new_string(vm, std::move(std::get<std::string>(result)));
}

void finalize_big_int(Object* self) { finalize_object<HeapBigInt>(self); }

// ---------------------------------------------------------------------------------------
// int(x, base) and bool(x)

// Text for int(): ASCII kept, Unicode decimal digits turned into ASCII digits and Unicode
// spaces into ASCII ones, as CPython does before parsing (int('١٢') == 12).
std::string ascii_number_text(std::string_view utf8) {
    if (text::is_ascii(utf8)) return std::string(utf8);
    std::string out;
    for (std::size_t pos = 0; pos < utf8.size();) {
        char32_t c = text::decode_next(utf8, pos);
        int digit = text::decimal_value(c);
        if (digit >= 0) out += static_cast<char>('0' + digit);
        else if (text::is_space(c)) out += ' ';
        else if (c < 0x80) out += static_cast<char>(c);
        else out += '?';  // anything else is invalid, and '?' is never a digit
    }
    return out;
}

Value parse_int_text(VM& vm, std::string_view text_value, int base, Value original) {
    std::optional<Big> parsed = Big::parse(ascii_number_text(text_value), base);
    if (!parsed) {
        String* shown = ops::repr(vm, original);
        if (!shown) return Value::null();
        return vm.raise(vm.types().value_error, numeric::invalid_literal_message(base, shown->utf8));
    }
    if (base != 0 && (base & (base - 1)) != 0 && parsed->bit_length() > max_str_digits * 10 / 3 &&
        parsed->to_string(10).size() > max_str_digits) {
        return vm.raise_format(vm.types().value_error,
                               "Exceeds the limit (4300 digits) for integer string conversion: value has {} digits; "
                               "use sys.set_int_max_str_digits() to increase the limit",
                               parsed->to_string(10).size());
    }
    return int_from_big(vm, std::move(*parsed));
}

// The text of a str, bytes or bytearray argument, or nullptr.
const std::string* text_argument(VM& vm, Value value) {
    if (auto* s = as_instance<String>(value, vm.types().str)) return &s->utf8;
    if (auto* b = as_instance<Bytes>(value, vm.types().bytes)) return &b->data;
    if (value.is_object() && value.as_object()->type == vm.types().bytearray) {
        // bytearray keeps its bytes in the same layout as bytes (objects/bytes.cpp).
        return &static_cast<Bytes*>(value.as_object())->data;
    }
    return nullptr;
}

// int(x): the conversion protocol of PyNumber_Long.
Value int_of(VM& vm, Value x) {
    if (is_int(vm, x)) return x.is_bool() ? Value::from_small_int(x.as_bool() ? 1 : 0) : x;
    if (x.is_double()) return int_from_double(vm, x.as_double());
    if (const std::string* text_value = text_argument(vm, x)) return parse_int_text(vm, *text_value, 10, x);
    for (String* name : {vm.names().int_, vm.names().index}) {
        bool found = false;
        Value result = call_dunder_method(vm, x, name, found);
        if (found) {
            if (result.is_null()) return result;
            if (!is_int(vm, result)) {
                return vm.raise_format(vm.types().type_error, "{} returned non-int (type {})", name->utf8,
                                       ops::type_name(vm, result));
            }
            return result;
        }
    }
    return vm.raise_format(vm.types().type_error,
                           "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                           ops::type_name(vm, x));
}

Value int_construct(VM& vm, Value, CallArgs args) {
    static const Signature signature{"int", {"x", "base"}, 1, 0};
    Value bound[2];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    if (bound[0].is_null()) {
        if (!bound[1].is_null()) return vm.raise(vm.types().type_error, "int() missing string argument");
        return Value::from_small_int(0);
    }
    if (bound[1].is_null()) return int_of(vm, bound[0]);
    std::int64_t base = 0;
    if (!int_to_int64(vm, bound[1], base)) return Value::null();
    if (base != 0 && (base < 2 || base > 36)) return vm.raise(vm.types().value_error, "int() base must be >= 2 and <= 36, or 0");
    const std::string* text_value = text_argument(vm, bound[0]);
    if (!text_value) return vm.raise(vm.types().type_error, "int() can't convert non-string with explicit base");
    return parse_int_text(vm, *text_value, static_cast<int>(base), bound[0]);
}

Value bool_construct(VM& vm, Value, CallArgs args) {
    if (!check_no_keywords(vm, args, "bool") || !check_positional(vm, args, "bool", 0, 1)) return Value::null();
    if (args.positional_count() == 0) return Value::from_bool(false);
    Truth t = ops::truthy(vm, args[0]);
    if (t == Truth::Error) return Value::null();
    return Value::from_bool(t == Truth::True);
}

// ---------------------------------------------------------------------------------------
// Methods

// The int self of a method (bools are ints too), or null after raising.
bool self_int(VM& vm, CallArgs args, std::string_view name) {
    if (args.positional_count() >= 1 && is_int(vm, args[0])) return true;
    if (args.positional_count() == 0) {
        vm.raise_error(Error::descriptor_needs_argument, name);
        return false;
    }
    vm.raise_error(Error::descriptor_doesnt_apply, name, std::string_view("int"), ops::type_name(vm, args[0]));
    return false;
}

Value int_bit_length(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "bit_length") || !check_no_arguments(vm, args.without_self(), "bit_length")) return Value::null();
    return int_from_int64(vm, static_cast<std::int64_t>(int_to_big(args[0]).bit_length()));
}

Value int_bit_count(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "bit_count") || !check_no_arguments(vm, args.without_self(), "bit_count")) return Value::null();
    return int_from_int64(vm, static_cast<std::int64_t>(int_to_big(args[0]).bit_count()));
}

// __int__, __index__, __trunc__, __floor__, __ceil__, conjugate, and the numerator /
// real properties: the int itself (a bool becomes a plain int).
Value int_self_value(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "__int__")) return Value::null();
    return args[0].is_bool() ? Value::from_small_int(args[0].as_bool() ? 1 : 0) : args[0];
}

Value int_zero(VM&, CallArgs) { return Value::from_small_int(0); }
Value int_one(VM&, CallArgs) { return Value::from_small_int(1); }

Value int_float_method(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "__float__")) return Value::null();
    double d = 0;
    if (!int_to_double(vm, args[0], d)) return Value::null();
    return Value::from_double(d);
}

Value int_as_integer_ratio(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "as_integer_ratio")) return Value::null();
    Value items[] = {int_self_value(vm, args), Value::from_small_int(1)};
    return Value::from_object(new_tuple(vm, items));
}

// round(i, ndigits): a negative ndigits rounds to tens, hundreds..., ties to even.
Value int_round(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "__round__") || !check_positional(vm, args, "__round__", 1, 2)) return Value::null();
    Value self = int_self_value(vm, args);
    if (args.positional_count() < 2 || args[1].is_none()) return self;
    if (!is_int(vm, args[1])) {
        return vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, args[1]));
    }
    Big ndigits = int_to_big(args[1]);
    if (ndigits.sign() >= 0) return self;
    if (!ndigits.fits_int64() || ndigits.to_int64() < -100000) return Value::from_small_int(0);
    Big power = Big::pow(Big(10), static_cast<std::uint64_t>(-ndigits.to_int64()));
    Big value = int_to_big(self);
    auto [q, r] = Big::divmod(value, power);
    // Round half to even: compare twice the remainder with the power.
    Big twice = r.shifted_left(1);
    int c = twice.compare(power);
    if (c > 0 || (c == 0 && mpz_odd_p(q.raw()))) q = q + Big(1);
    return int_from_big(vm, q * power);
}

Value int_format_method(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "__format__") || !check_positional(vm, args, "__format__", 2, 2)) return Value::null();
    auto* spec = as_instance<String>(args[1], vm.types().str);
    if (!spec) {
        return vm.raise_format(vm.types().type_error, "__format__() argument must be str, not {}", ops::type_name(vm, args[1]));
    }
    String* result = int_format(vm, args[0], spec);
    return result ? Value::from_object(result) : Value::null();
}

// Reads byteorder ('big' / 'little') and signed arguments of to_bytes / from_bytes.
bool read_byteorder(VM& vm, Value value, bool& little) {
    if (value.is_null()) {
        little = false;
        return true;
    }
    auto* s = as_instance<String>(value, vm.types().str);
    if (!s) {
        vm.raise_format(vm.types().type_error, "to_bytes() argument 'byteorder' must be str, not {}", ops::type_name(vm, value));
        return false;
    }
    if (s->utf8 == "little") little = true;
    else if (s->utf8 == "big") little = false;
    else {
        vm.raise(vm.types().value_error, "byteorder must be either 'little' or 'big'");
        return false;
    }
    return true;
}

Value int_to_bytes(VM& vm, CallArgs args) {
    if (!self_int(vm, args, "to_bytes")) return Value::null();
    static const Signature signature{"to_bytes", {"length", "byteorder", "signed"}, 0, 0, 2};
    Value bound[3];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    std::int64_t length = 1;
    if (!bound[0].is_null() && !int_to_int64(vm, bound[0], length)) return Value::null();
    if (length < 0) return vm.raise(vm.types().value_error, "length argument must be non-negative");
    bool little = false;
    if (!read_byteorder(vm, bound[1], little)) return Value::null();
    bool is_signed = false;
    if (!bound[2].is_null()) {
        Truth t = ops::truthy(vm, bound[2]);
        if (t == Truth::Error) return Value::null();
        is_signed = t == Truth::True;
    }
    Big value = int_to_big(args[0]);
    if (value.sign() < 0 && !is_signed) return vm.raise(vm.types().overflow_error, "can't convert negative int to unsigned");
    // Two's complement of a negative number: add 2**(8*length).
    Big modulus = Big(1).shifted_left(static_cast<std::uint64_t>(length) * 8);
    bool fits = is_signed ? (value.sign() >= 0 ? value.shifted_left(1).compare(modulus) < 0
                                               : value.negated().shifted_left(1).compare(modulus) <= 0)
                          : value.compare(modulus) < 0;
    if (!fits) return vm.raise(vm.types().overflow_error, "int too big to convert");
    if (value.sign() < 0) value = value + modulus;
    std::string bytes(static_cast<std::size_t>(length), '\0');
    for (std::int64_t i = 0; i < length; ++i) {
        Big byte = Big::modulo(value.shifted_right(static_cast<std::uint64_t>(i) * 8), Big(256));
        auto position = static_cast<std::size_t>(little ? i : length - 1 - i);
        bytes[position] = static_cast<char>(byte.to_int64());
    }
    return Value::from_object(new_bytes(vm, bytes));
}

Value int_from_bytes(VM& vm, CallArgs args) {
    // A class method: args[0] is the class.
    static const Signature signature{"from_bytes", {"bytes", "byteorder", "signed"}, 0, 1, 2};
    Value bound[3];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    std::string data;
    if (const std::string* direct = text_argument(vm, bound[0]); direct && !as_instance<String>(bound[0], vm.types().str)) {
        data = *direct;
    } else {
        // Any iterable of ints in range(256).
        bool ok = for_each_item(vm, bound[0], [&](Value item) {
            std::int64_t byte = 0;
            if (!int_to_int64(vm, item, byte)) return false;
            if (byte < 0 || byte > 255) {
                vm.raise(vm.types().value_error, "bytes must be in range(0, 256)");
                return false;
            }
            data += static_cast<char>(byte);
            return true;
        });
        if (!ok) return Value::null();
    }
    bool little = false;
    if (!read_byteorder(vm, bound[1], little)) return Value::null();
    bool is_signed = false;
    if (!bound[2].is_null()) {
        Truth t = ops::truthy(vm, bound[2]);
        if (t == Truth::Error) return Value::null();
        is_signed = t == Truth::True;
    }
    Big value;
    for (std::size_t i = 0; i < data.size(); ++i) {
        unsigned char byte = static_cast<unsigned char>(little ? data[data.size() - 1 - i] : data[i]);
        value = value.shifted_left(8) + Big(byte);
    }
    if (is_signed && !data.empty() && (static_cast<unsigned char>(little ? data.back() : data.front()) & 0x80)) {
        value = value - Big(1).shifted_left(data.size() * 8);
    }
    return int_from_big(vm, std::move(value));
}

}  // namespace

Value call_dunder_method(VM& vm, Value x, String* name, bool& found) {
    found = false;
    // Builtin values never define these beyond what their own constructors handle.
    if (!x.is_object()) return Value::null();
    Value method = type_lookup(x.as_object()->type, name);
    if (method.is_null()) return Value::null();
    found = true;
    return vm.call_method(x, name, {});
}

bool real_to_double(VM& vm, Value value, double& out) {
    if (value.is_double()) {
        out = value.as_double();
        return true;
    }
    if (is_int(vm, value)) return int_to_double(vm, value, out);
    bool found = false;
    Value result = call_dunder_method(vm, value, vm.names().float_, found);
    if (found) {
        if (result.is_null()) return false;
        if (!result.is_double()) {
            vm.raise_format(vm.types().type_error, "{}.__float__ returned non-float (type {})", ops::type_name(vm, value),
                            ops::type_name(vm, result));
            return false;
        }
        out = result.as_double();
        return true;
    }
    result = call_dunder_method(vm, value, vm.names().index, found);
    if (found) {
        if (result.is_null()) return false;
        if (is_int(vm, result)) return int_to_double(vm, result, out);
    }
    vm.raise_format(vm.types().type_error, "must be real number, not {}", ops::type_name(vm, value));
    return false;
}

void init_int_type(VM& vm) {
    Type* int_type = vm.types().int_;
    int_type->repr = int_repr;
    int_type->str = int_repr;
    int_type->hash = int_hash_slot;
    int_type->compare = int_compare;
    int_type->binary = int_binary_slot;
    int_type->unary = int_unary;
    int_type->boolean = int_bool;
    int_type->format = int_format;
    int_type->finalize = finalize_big_int;
    int_type->construct = int_construct;
    int_type->flags |= TypeFlagBaseType;

    define_method(vm, int_type, "bit_length", int_bit_length);
    define_method(vm, int_type, "bit_count", int_bit_count);
    define_method(vm, int_type, "to_bytes", int_to_bytes);
    define_class_method(vm, int_type, "from_bytes", int_from_bytes);
    define_method(vm, int_type, "as_integer_ratio", int_as_integer_ratio);
    define_method(vm, int_type, "conjugate", int_self_value);
    define_method(vm, int_type, "__int__", int_self_value);
    define_method(vm, int_type, "__index__", int_self_value);
    define_method(vm, int_type, "__trunc__", int_self_value);
    define_method(vm, int_type, "__floor__", int_self_value);
    define_method(vm, int_type, "__ceil__", int_self_value);
    define_method(vm, int_type, "__float__", int_float_method);
    define_method(vm, int_type, "__round__", int_round);
    define_method(vm, int_type, "__format__", int_format_method);
    define_property(vm, int_type, "real", int_self_value);
    define_property(vm, int_type, "imag", int_zero);
    define_property(vm, int_type, "numerator", int_self_value);
    define_property(vm, int_type, "denominator", int_one);

    // bool: an int whose repr is its name and whose &, |, ^ stay bools. Set explicitly,
    // since the VM created bool before int's slots were filled in.
    Type* bool_type = vm.types().bool_;
    bool_type->repr = bool_repr;
    bool_type->str = bool_repr;
    bool_type->hash = int_hash_slot;
    bool_type->compare = int_compare;
    bool_type->binary = bool_binary_slot;
    bool_type->unary = int_unary;
    bool_type->boolean = int_bool;
    bool_type->format = int_format;
    bool_type->construct = bool_construct;
    bool_type->flags &= ~static_cast<std::uint32_t>(TypeFlagBaseType);
}

}  // namespace asy
