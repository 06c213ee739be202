// The float type. Floats are inline Values (NaN-boxed doubles), so this file is all slots
// and methods: arithmetic with Python's rules for //, % and ** (numeric/float_ops.hpp),
// exact comparison with ints of any size, repr and format (numeric/float_format.hpp).
#include "runtime/numeric/float_format.hpp"
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

#include <cmath>

namespace asy {

namespace {

// Reads either operand of a mixed operation as a double: a float, or an int converted
// (OverflowError when too large). `ok` false after raising; NotImplemented-worthy operands
// are filtered out by the caller.
bool operand_double(VM& vm, Value value, double& out) {
    if (value.is_double()) {
        out = value.as_double();
        return true;
    }
    return int_to_double(vm, value, out);
}

bool is_float_or_int(VM& vm, Value value) { return value.is_double() || is_int(vm, value); }

BinaryOp base_operator(BinaryOp op) {
    auto n = static_cast<int>(op);
    return n >= inplace_offset ? static_cast<BinaryOp>(n - inplace_offset) : op;
}

Value float_power(VM& vm, double x, double y) {
    numeric::PowError error;
    double result = numeric::float_pow(x, y, error);
    switch (error) {
    case numeric::PowError::None: return Value::from_double(result);
    case numeric::PowError::ZeroToNegative:
        return vm.raise(vm.types().zero_division_error, "0.0 cannot be raised to a negative power");
    case numeric::PowError::Overflow:
        return vm.raise(vm.types().overflow_error, "(34, 'Numerical result out of range')");
    case numeric::PowError::ComplexResult:
        // CPython returns a complex number here; asy has no complex type.
        return vm.raise(vm.types().value_error,
                        "asy does not support complex numbers (a negative number raised to a fractional power)");
    }
    return Value::null();
}

Value float_binary(VM& vm, BinaryOp op, Value left, Value right) {
    if (!is_float_or_int(vm, left) || !is_float_or_int(vm, right)) return vm.not_implemented();
    double x = 0, y = 0;
    if (!operand_double(vm, left, x) || !operand_double(vm, right, y)) return Value::null();
    switch (base_operator(op)) {
    case BinaryOp::Add: return Value::from_double(x + y);
    case BinaryOp::Subtract: return Value::from_double(x - y);
    case BinaryOp::Multiply: return Value::from_double(x * y);
    case BinaryOp::TrueDivide:
        if (y == 0.0) return vm.raise(vm.types().zero_division_error, "float division by zero");
        return Value::from_double(x / y);
    case BinaryOp::FloorDivide:
        if (y == 0.0) return vm.raise(vm.types().zero_division_error, "float floor division by zero");
        return Value::from_double(numeric::float_floor_divide(x, y));
    case BinaryOp::Remainder:
        if (y == 0.0) return vm.raise(vm.types().zero_division_error, "float modulo");
        return Value::from_double(numeric::float_modulo(x, y));
    case BinaryOp::Power: return float_power(vm, x, y);
    default: return vm.not_implemented();
    }
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

Value float_compare(VM& vm, Value self, Value other, CompareOp op) {
    double x = self.as_double();
    int c = 0;
    if (other.is_double()) {
        double y = other.as_double();
        if (std::isnan(x) || std::isnan(y)) return Value::from_bool(op == CompareOp::Ne);
        c = (x > y) - (x < y);
    } else if (is_int(vm, other)) {
        // Exactly, without rounding the int: 2**53 + 1 != 2.0**53.
        if (std::isnan(x)) return Value::from_bool(op == CompareOp::Ne);
        c = -compare_int_double(other, x);
    } else {
        return vm.not_implemented();
    }
    return Value::from_bool(compare_result(c, op));
}

String* float_repr(VM& vm, Value self) { return new_string(vm, numeric::float_repr(self.as_double())); }

bool float_hash_slot(VM&, Value self, std::int64_t& out) {
    out = numeric::float_hash(self.as_double());
    return true;
}

Value float_unary(VM&, UnaryOp op, Value self) {
    double x = self.as_double();
    switch (op) {
    case UnaryOp::Negative: return Value::from_double(-x);
    case UnaryOp::Positive: return self;
    case UnaryOp::Invert: break;
    }
    return Value::null();  // unreachable: ops treats a missing operator as a TypeError first
}

Value float_unary_slot(VM& vm, UnaryOp op, Value self) {
    if (op == UnaryOp::Invert) return vm.not_implemented();
    return float_unary(vm, op, self);
}

int float_bool(VM&, Value self) { return self.as_double() != 0.0; }

String* float_format(VM& vm, Value self, String* spec) {
    if (spec->utf8.empty()) return float_repr(vm, self);
    auto parsed = text::parse_format_spec(spec->utf8, '\0', '>', "float");
    if (auto* error = std::get_if<text::FormatError>(&parsed)) {
        vm.raise(vm.types().value_error, error->message);
        return nullptr;
    }
    text::FormatResult result = text::format_float(self.as_double(), std::get<text::FormatSpec>(parsed));
    if (auto* error = std::get_if<text::FormatError>(&result)) {
        vm.raise(error->kind == text::FormatError::Kind::ValueError ? vm.types().value_error : vm.types().overflow_error,
                 error->message);
        return nullptr;
    }
    return new_string(vm, std::move(std::get<std::string>(result)));
}

// ---------------------------------------------------------------------------------------
// float(x)

// float(text): Unicode digits and spaces are read as their ASCII forms first, as in CPython.
Value float_from_text(VM& vm, std::string_view text_value, Value original) {
    std::string ascii;
    if (text::is_ascii(text_value)) {
        ascii = std::string(text_value);
    } else {
        for (std::size_t pos = 0; pos < text_value.size();) {
            char32_t c = text::decode_next(text_value, pos);
            int digit = text::decimal_value(c);
            if (digit >= 0) ascii += static_cast<char>('0' + digit);
            else if (text::is_space(c)) ascii += ' ';
            else if (c < 0x80) ascii += static_cast<char>(c);
            else ascii += '?';
        }
    }
    std::optional<double> parsed = numeric::parse_float(ascii);
    if (!parsed) {
        String* shown = ops::repr(vm, original);
        if (!shown) return Value::null();
        return vm.raise(vm.types().value_error, "could not convert string to float: " + shown->utf8);
    }
    return Value::from_double(*parsed);
}

Value float_construct(VM& vm, Value, CallArgs args) {
    if (!check_no_keywords(vm, args, "float") || !check_positional(vm, args, "float", 0, 1)) return Value::null();
    if (args.positional_count() == 0) return Value::from_double(0.0);
    Value x = args[0];
    if (x.is_double()) return x;
    if (is_int(vm, x)) {
        double d = 0;
        if (!int_to_double(vm, x, d)) return Value::null();
        return Value::from_double(d);
    }
    if (auto* s = as_instance<String>(x, vm.types().str)) return float_from_text(vm, s->utf8, x);
    if (x.is_object() && (x.as_object()->type == vm.types().bytes || x.as_object()->type == vm.types().bytearray)) {
        return float_from_text(vm, static_cast<Bytes*>(x.as_object())->data, x);
    }
    bool found = false;
    Value result = call_dunder_method(vm, x, vm.names().float_, found);
    if (!found) result = call_dunder_method(vm, x, vm.names().index, found);
    if (found) {
        if (result.is_null()) return result;
        double d = 0;
        if (result.is_double()) return result;
        if (is_int(vm, result) && int_to_double(vm, result, d)) return Value::from_double(d);
        if (vm.has_exception()) return Value::null();
        return vm.raise_format(vm.types().type_error, "{}.__float__ returned non-float (type {})", ops::type_name(vm, x),
                               ops::type_name(vm, result));
    }
    return vm.raise_format(vm.types().type_error, "float() argument must be a string or a real number, not '{}'",
                           ops::type_name(vm, x));
}

// ---------------------------------------------------------------------------------------
// Methods

bool self_float(VM& vm, CallArgs args, std::string_view name) {
    if (args.positional_count() >= 1 && args[0].is_double()) return true;
    if (args.positional_count() == 0) {
        vm.raise_error(Error::descriptor_needs_argument, name);
        return false;
    }
    vm.raise_error(Error::descriptor_doesnt_apply, name, std::string_view("float"), ops::type_name(vm, args[0]));
    return false;
}

Value float_is_integer(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "is_integer")) return Value::null();
    return Value::from_bool(numeric::float_is_integer(args[0].as_double()));
}

Value float_as_integer_ratio(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "as_integer_ratio")) return Value::null();
    double x = args[0].as_double();
    if (std::isinf(x)) return vm.raise(vm.types().overflow_error, "cannot convert Infinity to integer ratio");
    if (std::isnan(x)) return vm.raise(vm.types().value_error, "cannot convert NaN to integer ratio");
    auto [numerator, denominator] = numeric::float_as_integer_ratio(x);
    Root n(vm, int_from_big(vm, std::move(numerator)));
    Value d = int_from_big(vm, std::move(denominator));
    Value items[] = {n.get(), d};
    return Value::from_object(new_tuple(vm, items));
}

Value float_self(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "__float__")) return Value::null();
    return args[0];
}

Value float_zero(VM&, CallArgs) { return Value::from_double(0.0); }

Value float_trunc(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "__trunc__")) return Value::null();
    return int_from_double(vm, args[0].as_double());
}

Value float_floor(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "__floor__")) return Value::null();
    return int_from_double(vm, std::floor(args[0].as_double()));
}

Value float_ceil(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "__ceil__")) return Value::null();
    return int_from_double(vm, std::ceil(args[0].as_double()));
}

// round(x) is an int, ties to even; round(x, n) a float rounded to n decimal places.
Value float_round(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "__round__") || !check_positional(vm, args, "__round__", 1, 2)) return Value::null();
    double x = args[0].as_double();
    if (args.positional_count() < 2 || args[1].is_none()) {
        if (std::isfinite(x)) return int_from_double(vm, numeric::float_round_half_even(x));
        return int_from_double(vm, x);  // the errors for inf and nan
    }
    if (!is_int(vm, args[1])) return vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, args[1]));
    std::int64_t ndigits = 0;
    if (!int_fits_int64(args[1], ndigits)) ndigits = int_to_big(args[1]).sign() < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
    std::optional<double> rounded = numeric::float_round(x, ndigits);
    if (!rounded) return vm.raise(vm.types().overflow_error, "rounded value too large to represent");
    return Value::from_double(*rounded);
}

Value float_format_method(VM& vm, CallArgs args) {
    if (!self_float(vm, args, "__format__") || !check_positional(vm, args, "__format__", 2, 2)) return Value::null();
    auto* spec = as_instance<String>(args[1], vm.types().str);
    if (!spec) {
        return vm.raise_format(vm.types().type_error, "__format__() argument must be str, not {}", ops::type_name(vm, args[1]));
    }
    String* result = float_format(vm, args[0], spec);
    return result ? Value::from_object(result) : Value::null();
}

}  // namespace

Value float_divmod_values(VM& vm, Value left, Value right) {
    double x = 0, y = 0;
    if (!operand_double(vm, left, x) || !operand_double(vm, right, y)) return Value::null();
    if (y == 0.0) return vm.raise(vm.types().zero_division_error, "float divmod()");
    auto [q, r] = numeric::float_divmod(x, y);
    Value items[] = {Value::from_double(q), Value::from_double(r)};
    return Value::from_object(new_tuple(vm, items));
}

void init_float_type(VM& vm) {
    Type* type = vm.types().float_;
    type->repr = float_repr;
    type->str = float_repr;
    type->hash = float_hash_slot;
    type->compare = float_compare;
    type->binary = float_binary;
    type->unary = float_unary_slot;
    type->boolean = float_bool;
    type->format = float_format;
    type->construct = float_construct;

    define_method(vm, type, "is_integer", float_is_integer);
    define_method(vm, type, "as_integer_ratio", float_as_integer_ratio);
    define_method(vm, type, "conjugate", float_self);
    define_method(vm, type, "__float__", float_self);
    define_method(vm, type, "__int__", float_trunc);
    define_method(vm, type, "__trunc__", float_trunc);
    define_method(vm, type, "__floor__", float_floor);
    define_method(vm, type, "__ceil__", float_ceil);
    define_method(vm, type, "__round__", float_round);
    define_method(vm, type, "__format__", float_format_method);
    define_property(vm, type, "real", float_self);
    define_property(vm, type, "imag", float_zero);
}

}  // namespace asy
