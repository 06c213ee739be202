// The grammar of asy: Python 3.11 without `match`, as an LALR(1) grammar for Bison. It reads
// tokens from the lexer through ParseDriver (parse_driver.hpp) and hands on an AST (ast.hpp).
// Actions only build nodes; the checks Python makes at parse time (what may be assigned to,
// the order of parameters and arguments) live in the driver. Precedence is spelled out as
// one rule per level, lowest first, as in CPython's old Grammar/Grammar file.

%require "3.8"
%language "c++"
%define api.namespace {asy::grammar}
%define api.parser.class {Parser}
%define api.value.type variant
%define api.value.automove
%define api.token.constructor
%define api.token.prefix {TOK_}
%define parse.error custom
%define parse.lac full
%locations
%param { asy::front::ParseDriver& driver }

%code requires {
#include <string>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/parse_support.hpp"

namespace asy::front {
class ParseDriver;
}
}

%code {
#include "compiler/parse_driver.hpp"

namespace asy::grammar {

Parser::symbol_type yylex(front::ParseDriver& driver) { return driver.next_token(); }

}  // namespace asy::grammar

namespace {

using namespace asy;
using asy::front::to_span;

// Shorthands for the actions below.
ast::ExprPtr name_node(std::string id, Span span) {
    auto node = ast::make<ast::Name>(span);
    node->id = std::move(id);
    return node;
}

ast::ExprPtr binary(ast::ExprPtr left, ast::BinaryOperator op, ast::ExprPtr right, Span span) {
    auto node = ast::make<ast::BinOp>(span);
    node->left = std::move(left);
    node->op = op;
    node->right = std::move(right);
    return node;
}

ast::ExprPtr unary(ast::UnaryOperator op, ast::ExprPtr operand, Span span) {
    auto node = ast::make<ast::UnaryOp>(span);
    node->op = op;
    node->operand = std::move(operand);
    return node;
}

ast::ExprPtr bool_op(ast::BoolOperator op, ast::ExprList values, Span span) {
    auto node = ast::make<ast::BoolOp>(span);
    node->op = op;
    node->values = std::move(values);
    return node;
}

ast::ExprPtr constant(ast::ConstantValue value, Span span) {
    auto node = ast::make<ast::Constant>(span);
    node->value = std::move(value);
    return node;
}

// `a, b` without brackets: a Tuple; a single element without a comma stays itself.
ast::ExprPtr tuple_or_single(ast::ExprList elements, bool has_comma, Span span) {
    if (elements.size() == 1 && !has_comma) return std::move(elements.front());
    auto node = ast::make<ast::Tuple>(span);
    node->elts = std::move(elements);
    return node;
}

ast::StmtPtr expr_stmt(ast::ExprPtr value, Span span) {
    auto node = ast::make<ast::ExprStmt>(span);
    node->value = std::move(value);
    return node;
}

ast::StmtList one(ast::StmtPtr stmt) {
    ast::StmtList list;
    list.push_back(std::move(stmt));
    return list;
}

ast::ExprList one_expr(ast::ExprPtr expr) {
    ast::ExprList list;
    list.push_back(std::move(expr));
    return list;
}

}  // namespace

#define SPAN(location) to_span(location)
}

// Tokens. The strings are how error messages name them.
%token START_FILE START_EXPRESSION
%token <std::string> NAME "name"
%token <asy::ast::ExprPtr> NUMBER "number"
%token <int> STRING "string"
%token NEWLINE "newline" INDENT "indent" DEDENT "dedent"
%token FALSE "'False'" NONE "'None'" TRUE "'True'" AND "'and'" AS "'as'" ASSERT "'assert'"
       ASYNC "'async'" AWAIT "'await'" BREAK "'break'" CLASS "'class'" CONTINUE "'continue'"
       DEF "'def'" DEL "'del'" ELIF "'elif'" ELSE "'else'" EXCEPT "'except'" FINALLY "'finally'"
       FOR "'for'" FROM "'from'" GLOBAL "'global'" IF "'if'" IMPORT "'import'" IN "'in'"
       IS "'is'" LAMBDA "'lambda'" NONLOCAL "'nonlocal'" NOT "'not'" OR "'or'" PASS "'pass'"
       RAISE "'raise'" RETURN "'return'" TRY "'try'" WHILE "'while'" WITH "'with'" YIELD "'yield'"
%token LPAR "'('" RPAR "')'" LSQB "'['" RSQB "']'" LBRACE "'{'" RBRACE "'}'"
       COLON "':'" COMMA "','" SEMI "';'" PLUS "'+'" MINUS "'-'" STAR "'*'" SLASH "'/'"
       VBAR "'|'" AMPER "'&'" LESS "'<'" GREATER "'>'" EQUAL "'='" DOT "'.'" PERCENT "'%'"
       EQEQUAL "'=='" NOTEQUAL "'!='" LESSEQUAL "'<='" GREATEREQUAL "'>='" TILDE "'~'"
       CIRCUMFLEX "'^'" LEFTSHIFT "'<<'" RIGHTSHIFT "'>>'" DOUBLESTAR "'**'"
       PLUSEQUAL "'+='" MINEQUAL "'-='" STAREQUAL "'*='" SLASHEQUAL "'/='" PERCENTEQUAL "'%='"
       AMPEREQUAL "'&='" VBAREQUAL "'|='" CIRCUMFLEXEQUAL "'^='" LEFTSHIFTEQUAL "'<<='"
       RIGHTSHIFTEQUAL "'>>='" DOUBLESTAREQUAL "'**='" DOUBLESLASH "'//'" DOUBLESLASHEQUAL "'//='"
       AT "'@'" ATEQUAL "'@='" RARROW "'->'" ELLIPSIS "'...'" COLONEQUAL "':='"
// The '(' right after `with` when it encloses with-items, `with (a as b, c as d):`; the
// driver looks ahead to the matching ')' and a ':' to tell it from `with (a, b) as c:`.
%token WITH_LPAR "'(' "

%type <asy::ast::StmtList> file_stmts stmt simple_stmt small_stmts suite stmts else_opt elif_tail
%type <asy::ast::StmtPtr> small_stmt expr_stmt compound_stmt if_stmt while_stmt for_stmt try_stmt
                          with_stmt funcdef classdef decorated async_stmt import_stmt flow_stmt
%type <asy::ast::ExprPtr> test or_test and_test not_test comparison expr xor_expr and_expr
                          shift_expr arith_expr term factor power await_primary atom_expr atom
                          star_expr namedexpr_test testlist_star_expr testlist exprlist yield_expr
                          lambdef assign_value test_opt subscript subscriptlist tc_elem
                          return_opt decorator strings_atom
%type <asy::ast::ExprList> or_list and_list testlist_star_items testlist_items exprlist_items
                           assign_chain sub_items decorators tc_elems
%type <std::vector<asy::front::CompareStep>> comp_chain
%type <asy::ast::CompareOperator> comp_op
%type <asy::ast::BinaryOperator> augassign
%type <std::vector<int>> strings
%type <asy::front::Display> testlist_comp dictorsetmaker dict_items set_elems
%type <std::vector<asy::ast::Comprehension>> comp_for
%type <asy::ast::Comprehension> comp_clause
%type <std::vector<asy::front::CallItem>> arglist arg_items
%type <asy::front::CallItem> argument
%type <std::vector<asy::front::ParamItem>> params param_items lparams lparam_items
%type <asy::front::ParamItem> param_item lparam_item
%type <asy::ast::Arg> tname
%type <std::vector<asy::ast::WithItem>> with_items
%type <asy::ast::WithItem> with_item
%type <asy::front::TryTail> try_tail
%type <std::vector<asy::front::HandlerItem>> handlers
%type <asy::front::HandlerItem> handler
%type <std::vector<asy::ast::Alias>> dotted_as_names import_as_names import_targets
%type <asy::ast::Alias> dotted_as_name import_as_name
%type <std::string> dotted_name
%type <std::vector<std::string>> names
%type <int> dots
%type <asy::front::ImportSource> import_source
%type <bool> opt_comma

%start start

%%

start:
    START_FILE file_stmts {
        driver.module = std::make_unique<ast::Module>();
        driver.module->body = $2;
    }
  | START_EXPRESSION testlist_star_expr { driver.expression = $2; }
  | START_EXPRESSION yield_expr { driver.expression = $2; }
  ;

file_stmts:
    %empty {}
  | file_stmts stmt { $$ = $1; front::append($$, $2); }
  ;

stmt:
    simple_stmt { $$ = $1; }
  | compound_stmt { $$ = one($1); }
  ;

// ---------------------------------------------------------------- simple statements

// A statement ends with its last token, not with the NEWLINE after it (as in CPython).
simple_stmt:
    small_stmts NEWLINE { $$ = $1; @$ = @1; }
  | small_stmts "';'" NEWLINE { $$ = $1; @$ = @1; }
  ;

small_stmts:
    small_stmt { $$ = one($1); }
  | small_stmts "';'" small_stmt { $$ = $1; $$.push_back($3); }
  ;

small_stmt:
    expr_stmt { $$ = $1; }
  | "'del'" exprlist { $$ = driver.make_delete($2, SPAN(@$)); if (!$$) YYABORT; }
  | "'pass'" { $$ = ast::make<ast::Pass>(SPAN(@$)); }
  | flow_stmt { $$ = $1; }
  | import_stmt { $$ = $1; }
  | "'global'" names {
        auto node = ast::make<ast::Global>(SPAN(@$));
        node->names = $2;
        $$ = std::move(node);
    }
  | "'nonlocal'" names {
        auto node = ast::make<ast::Nonlocal>(SPAN(@$));
        node->names = $2;
        $$ = std::move(node);
    }
  | "'assert'" test {
        auto node = ast::make<ast::Assert>(SPAN(@$));
        node->test = $2;
        $$ = std::move(node);
    }
  | "'assert'" test "','" test {
        auto node = ast::make<ast::Assert>(SPAN(@$));
        node->test = $2;
        node->msg = $4;
        $$ = std::move(node);
    }
  ;

expr_stmt:
    testlist_star_expr { $$ = expr_stmt($1, SPAN(@$)); }
  | yield_expr { $$ = expr_stmt($1, SPAN(@$)); }
  | testlist_star_expr "':'" test {
        $$ = driver.make_ann_assign($1, $3, nullptr, SPAN(@$));
        if (!$$) YYABORT;
    }
  | testlist_star_expr "':'" test "'='" assign_value {
        $$ = driver.make_ann_assign($1, $3, $5, SPAN(@$));
        if (!$$) YYABORT;
    }
  | testlist_star_expr augassign yield_expr {
        $$ = driver.make_aug_assign($1, $2, $3, SPAN(@$));
        if (!$$) YYABORT;
    }
  | testlist_star_expr augassign testlist {
        $$ = driver.make_aug_assign($1, $2, $3, SPAN(@$));
        if (!$$) YYABORT;
    }
  | testlist_star_expr assign_chain {
        $$ = driver.make_assign($1, $2, SPAN(@$));
        if (!$$) YYABORT;
    }
  ;

assign_chain:
    "'='" assign_value { $$ = one_expr($2); }
  | assign_chain "'='" assign_value { $$ = $1; $$.push_back($3); }
  ;

assign_value:
    yield_expr { $$ = $1; }
  | testlist_star_expr { $$ = $1; }
  ;

augassign:
    "'+='" { $$ = ast::BinaryOperator::Add; }
  | "'-='" { $$ = ast::BinaryOperator::Sub; }
  | "'*='" { $$ = ast::BinaryOperator::Mult; }
  | "'@='" { $$ = ast::BinaryOperator::MatMult; }
  | "'/='" { $$ = ast::BinaryOperator::Div; }
  | "'%='" { $$ = ast::BinaryOperator::Mod; }
  | "'&='" { $$ = ast::BinaryOperator::BitAnd; }
  | "'|='" { $$ = ast::BinaryOperator::BitOr; }
  | "'^='" { $$ = ast::BinaryOperator::BitXor; }
  | "'<<='" { $$ = ast::BinaryOperator::LShift; }
  | "'>>='" { $$ = ast::BinaryOperator::RShift; }
  | "'**='" { $$ = ast::BinaryOperator::Pow; }
  | "'//='" { $$ = ast::BinaryOperator::FloorDiv; }
  ;

flow_stmt:
    "'break'" { $$ = ast::make<ast::Break>(SPAN(@$)); }
  | "'continue'" { $$ = ast::make<ast::Continue>(SPAN(@$)); }
  | "'return'" { $$ = ast::make<ast::Return>(SPAN(@$)); }
  | "'return'" testlist_star_expr {
        auto node = ast::make<ast::Return>(SPAN(@$));
        node->value = $2;
        $$ = std::move(node);
    }
  | "'raise'" { $$ = ast::make<ast::Raise>(SPAN(@$)); }
  | "'raise'" test {
        auto node = ast::make<ast::Raise>(SPAN(@$));
        node->exc = $2;
        $$ = std::move(node);
    }
  | "'raise'" test "'from'" test {
        auto node = ast::make<ast::Raise>(SPAN(@$));
        node->exc = $2;
        node->cause = $4;
        $$ = std::move(node);
    }
  ;

names:
    NAME { $$.push_back($1); }
  | names "','" NAME { $$ = $1; $$.push_back($3); }
  ;

import_stmt:
    "'import'" dotted_as_names {
        auto node = ast::make<ast::Import>(SPAN(@$));
        node->names = $2;
        $$ = std::move(node);
    }
  | "'from'" import_source "'import'" import_targets {
        auto node = ast::make<ast::ImportFrom>(SPAN(@$));
        front::ImportSource source = $2;
        node->module = std::move(source.module);
        node->level = source.level;
        node->names = $4;
        $$ = std::move(node);
    }
  ;

import_source:
    dotted_name { $$.module = $1; }
  | dots dotted_name { $$.level = $1; $$.module = $2; }
  | dots { $$.level = $1; }
  ;

// `...` is one token, so `from ... import x` climbs three levels with it.
dots:
    "'.'" { $$ = 1; }
  | "'...'" { $$ = 3; }
  | dots "'.'" { $$ = $1 + 1; }
  | dots "'...'" { $$ = $1 + 3; }
  ;

import_targets:
    "'*'" {
        ast::Alias alias;
        alias.name = "*";
        alias.span = SPAN(@1);
        $$.push_back(std::move(alias));
    }
  | "'('" import_as_names opt_comma "')'" { $$ = $2; }
  | import_as_names { $$ = $1; }
  ;

import_as_names:
    import_as_name { $$.push_back($1); }
  | import_as_names "','" import_as_name { $$ = $1; $$.push_back($3); }
  ;

import_as_name:
    NAME { $$.name = $1; $$.span = SPAN(@$); }
  | NAME "'as'" NAME { $$.name = $1; $$.asname = $3; $$.span = SPAN(@$); }
  ;

dotted_as_names:
    dotted_as_name { $$.push_back($1); }
  | dotted_as_names "','" dotted_as_name { $$ = $1; $$.push_back($3); }
  ;

dotted_as_name:
    dotted_name { $$.name = $1; $$.span = SPAN(@$); }
  | dotted_name "'as'" NAME { $$.name = $1; $$.asname = $3; $$.span = SPAN(@$); }
  ;

dotted_name:
    NAME { $$ = $1; }
  | dotted_name "'.'" NAME { $$ = $1; $$ += "."; $$ += $3; }
  ;

opt_comma:
    %empty { $$ = false; }
  | "','" { $$ = true; }
  ;

// ---------------------------------------------------------------- compound statements

compound_stmt:
    if_stmt { $$ = $1; }
  | while_stmt { $$ = $1; }
  | for_stmt { $$ = $1; }
  | try_stmt { $$ = $1; }
  | with_stmt { $$ = $1; }
  | funcdef { $$ = $1; }
  | classdef { $$ = $1; }
  | decorated { $$ = $1; }
  | async_stmt { $$ = $1; }
  ;

suite:
    simple_stmt { $$ = $1; }
  | NEWLINE INDENT stmts DEDENT { $$ = $3; @$ = @3; }
  ;

stmts:
    stmt { $$ = $1; }
  | stmts stmt { $$ = $1; front::append($$, $2); }
  ;

// An `elif` is an If alone in the orelse of the If before it.
if_stmt:
    "'if'" namedexpr_test "':'" suite elif_tail {
        auto node = ast::make<ast::If>(SPAN(@$));
        node->test = $2;
        node->body = $4;
        node->orelse = $5;
        $$ = std::move(node);
    }
  ;

elif_tail:
    %empty {}
  | "'else'" "':'" suite { $$ = $3; }
  | "'elif'" namedexpr_test "':'" suite elif_tail {
        auto node = ast::make<ast::If>(SPAN(@$));
        node->test = $2;
        node->body = $4;
        node->orelse = $5;
        $$ = one(std::move(node));
    }
  ;

else_opt:
    %empty {}
  | "'else'" "':'" suite { $$ = $3; }
  ;

while_stmt:
    "'while'" namedexpr_test "':'" suite else_opt {
        auto node = ast::make<ast::While>(SPAN(@$));
        node->test = $2;
        node->body = $4;
        node->orelse = $5;
        $$ = std::move(node);
    }
  ;

for_stmt:
    "'for'" exprlist "'in'" testlist_star_expr "':'" suite else_opt {
        auto node = ast::make<ast::For>(SPAN(@$));
        node->target = $2;
        if (!driver.check_target(node->target.get(), front::TargetUse::For)) YYABORT;
        node->iter = $4;
        node->body = $6;
        node->orelse = $7;
        $$ = std::move(node);
    }
  ;

try_stmt:
    "'try'" "':'" suite try_tail {
        $$ = driver.make_try($3, $4, SPAN(@$));
        if (!$$) YYABORT;
    }
  ;

try_tail:
    handlers else_opt {
        for (auto& item : $1) {
            if (item.is_star) ++$$.star_handlers;
            $$.handlers.push_back(std::move(item.handler));
        }
        $$.orelse = $2;
    }
  | handlers else_opt "'finally'" "':'" suite {
        for (auto& item : $1) {
            if (item.is_star) ++$$.star_handlers;
            $$.handlers.push_back(std::move(item.handler));
        }
        $$.orelse = $2;
        $$.finalbody = $5;
    }
  | "'finally'" "':'" suite { $$.finalbody = $3; }
  ;

handlers:
    handler { $$.push_back($1); }
  | handlers handler { $$ = $1; $$.push_back($2); }
  ;

handler:
    "'except'" "':'" suite {
        $$.handler.body = $3;
        $$.handler.span = SPAN(@$);
    }
  | "'except'" test "':'" suite {
        $$.handler.type = $2;
        $$.handler.body = $4;
        $$.handler.span = SPAN(@$);
    }
  | "'except'" test "'as'" NAME "':'" suite {
        $$.handler.type = $2;
        $$.handler.name = $4;
        $$.handler.body = $6;
        $$.handler.span = SPAN(@$);
    }
  | "'except'" "'*'" test "':'" suite {
        $$.handler.type = $3;
        $$.handler.body = $5;
        $$.handler.span = SPAN(@$);
        $$.is_star = true;
    }
  | "'except'" "'*'" test "'as'" NAME "':'" suite {
        $$.handler.type = $3;
        $$.handler.name = $5;
        $$.handler.body = $7;
        $$.handler.span = SPAN(@$);
        $$.is_star = true;
    }
  ;

with_stmt:
    "'with'" with_items "':'" suite {
        auto node = ast::make<ast::With>(SPAN(@$));
        node->items = $2;
        node->body = $4;
        $$ = std::move(node);
    }
  | "'with'" WITH_LPAR with_items opt_comma "')'" "':'" suite {
        auto node = ast::make<ast::With>(SPAN(@$));
        node->items = $3;
        node->body = $7;
        $$ = std::move(node);
    }
  ;

with_items:
    with_item { $$.push_back($1); }
  | with_items "','" with_item { $$ = $1; $$.push_back($3); }
  ;

with_item:
    test { $$.context_expr = $1; }
  | test "'as'" expr {
        $$.context_expr = $1;
        $$.optional_vars = $3;
        if (!driver.check_target($$.optional_vars.get(), front::TargetUse::With)) YYABORT;
    }
  ;

funcdef:
    "'def'" NAME "'('" params "')'" return_opt "':'" suite {
        auto node = ast::make<ast::FunctionDef>(SPAN(@$));
        node->name = $2;
        if (!driver.make_arguments($4, node->args)) YYABORT;
        node->returns = $6;
        node->body = $8;
        $$ = std::move(node);
    }
  ;

return_opt:
    %empty { $$ = nullptr; }
  | "'->'" test { $$ = $2; }
  ;

params:
    %empty {}
  | param_items opt_comma { $$ = $1; }
  ;

param_items:
    param_item { $$.push_back($1); }
  | param_items "','" param_item { $$ = $1; $$.push_back($3); }
  ;

param_item:
    tname { $$.arg = $1; $$.span = SPAN(@$); }
  | tname "'='" test { $$.arg = $1; $$.default_value = $3; $$.span = SPAN(@$); }
  | "'/'" { $$.kind = front::ParamItem::Kind::Slash; $$.span = SPAN(@$); }
  | "'*'" { $$.kind = front::ParamItem::Kind::Star; $$.span = SPAN(@$); }
  | "'*'" tname { $$.kind = front::ParamItem::Kind::Star; $$.arg = $2; $$.span = SPAN(@$); }
  | "'**'" tname { $$.kind = front::ParamItem::Kind::DoubleStar; $$.arg = $2; $$.span = SPAN(@$); }
  | "'**'" tname "'='" test {
        $$.kind = front::ParamItem::Kind::DoubleStar;
        $$.arg = $2;
        $$.default_value = $4;
        $$.span = SPAN(@$);
    }
  | "'*'" tname "'='" test {
        $$.kind = front::ParamItem::Kind::Star;
        $$.arg = $2;
        $$.default_value = $4;
        $$.span = SPAN(@$);
    }
  ;

tname:
    NAME { $$.name = $1; $$.span = SPAN(@$); }
  | NAME "':'" test { $$.name = $1; $$.annotation = $3; $$.span = SPAN(@$); }
  ;

// Lambda parameters cannot have annotations: the ':' ends the list.
lparams:
    lparam_items opt_comma { $$ = $1; }
  ;

lparam_items:
    lparam_item { $$.push_back($1); }
  | lparam_items "','" lparam_item { $$ = $1; $$.push_back($3); }
  ;

lparam_item:
    NAME { $$.arg.name = $1; $$.arg.span = SPAN(@1); $$.span = SPAN(@$); }
  | NAME "'='" test { $$.arg.name = $1; $$.arg.span = SPAN(@1); $$.default_value = $3; $$.span = SPAN(@$); }
  | "'/'" { $$.kind = front::ParamItem::Kind::Slash; $$.span = SPAN(@$); }
  | "'*'" { $$.kind = front::ParamItem::Kind::Star; $$.span = SPAN(@$); }
  | "'*'" NAME {
        $$.kind = front::ParamItem::Kind::Star;
        $$.arg.name = $2;
        $$.arg.span = SPAN(@2);
        $$.span = SPAN(@$);
    }
  | "'**'" NAME {
        $$.kind = front::ParamItem::Kind::DoubleStar;
        $$.arg.name = $2;
        $$.arg.span = SPAN(@2);
        $$.span = SPAN(@$);
    }
  ;

classdef:
    "'class'" NAME "':'" suite {
        auto node = ast::make<ast::ClassDef>(SPAN(@$));
        node->name = $2;
        node->body = $4;
        $$ = std::move(node);
    }
  | "'class'" NAME "'('" "')'" "':'" suite {
        auto node = ast::make<ast::ClassDef>(SPAN(@$));
        node->name = $2;
        node->body = $6;
        $$ = std::move(node);
    }
  | "'class'" NAME "'('" arglist "')'" "':'" suite {
        auto node = ast::make<ast::ClassDef>(SPAN(@$));
        node->name = $2;
        // The bases and keywords are checked like a call's arguments.
        auto call = driver.make_call(name_node(node->name, SPAN(@2)), $4, SPAN(@$));
        if (!call) YYABORT;
        auto* checked = ast::as<ast::Call>(call.get());
        node->bases = std::move(checked->args);
        node->keywords = std::move(checked->keywords);
        node->body = $7;
        $$ = std::move(node);
    }
  ;

decorated:
    decorators funcdef {
        $$ = $2;
        static_cast<ast::FunctionDef&>(*$$).decorator_list = $1;
    }
  | decorators classdef {
        $$ = $2;
        static_cast<ast::ClassDef&>(*$$).decorator_list = $1;
    }
  | decorators "'async'" funcdef {
        $$ = $3;
        auto& function = static_cast<ast::FunctionDef&>(*$$);
        function.decorator_list = $1;
        function.is_async = true;
        // Like CPython, the definition starts at `async`, not at its decorators.
        function.span.line = @2.begin.line;
        function.span.column = @2.begin.column;
    }
  ;

decorators:
    decorator { $$ = one_expr($1); }
  | decorators decorator { $$ = $1; $$.push_back($2); }
  ;

decorator:
    "'@'" namedexpr_test NEWLINE { $$ = $2; }
  ;

async_stmt:
    "'async'" funcdef {
        $$ = $2;
        static_cast<ast::FunctionDef&>(*$$).is_async = true;
        $$->span = SPAN(@$);
    }
  | "'async'" with_stmt {
        $$ = $2;
        static_cast<ast::With&>(*$$).is_async = true;
        $$->span = SPAN(@$);
    }
  | "'async'" for_stmt {
        $$ = $2;
        static_cast<ast::For&>(*$$).is_async = true;
        $$->span = SPAN(@$);
    }
  ;

// ---------------------------------------------------------------- expressions, lowest first

namedexpr_test:
    test { $$ = $1; }
  | test "':='" test { $$ = driver.make_named_expr($1, $3, SPAN(@$)); if (!$$) YYABORT; }
  ;

test:
    or_test { $$ = $1; }
  | or_test "'if'" or_test "'else'" test {
        auto node = ast::make<ast::IfExp>(SPAN(@$));
        node->body = $1;
        node->test = $3;
        node->orelse = $5;
        $$ = std::move(node);
    }
  | lambdef { $$ = $1; }
  ;

lambdef:
    "'lambda'" "':'" test {
        auto node = ast::make<ast::Lambda>(SPAN(@$));
        node->body = $3;
        $$ = std::move(node);
    }
  | "'lambda'" lparams "':'" test {
        auto node = ast::make<ast::Lambda>(SPAN(@$));
        if (!driver.make_arguments($2, node->args)) YYABORT;
        node->body = $4;
        $$ = std::move(node);
    }
  ;

// `a or b or c` is one BoolOp with three values.
or_test:
    and_test { $$ = $1; }
  | or_list { $$ = bool_op(ast::BoolOperator::Or, $1, SPAN(@$)); }
  ;

or_list:
    and_test "'or'" and_test { $$ = one_expr($1); $$.push_back($3); }
  | or_list "'or'" and_test { $$ = $1; $$.push_back($3); }
  ;

and_test:
    not_test { $$ = $1; }
  | and_list { $$ = bool_op(ast::BoolOperator::And, $1, SPAN(@$)); }
  ;

and_list:
    not_test "'and'" not_test { $$ = one_expr($1); $$.push_back($3); }
  | and_list "'and'" not_test { $$ = $1; $$.push_back($3); }
  ;

not_test:
    "'not'" not_test { $$ = unary(ast::UnaryOperator::Not, $2, SPAN(@$)); }
  | comparison { $$ = $1; }
  ;

// `a < b < c` is one Compare with two operators.
comparison:
    expr { $$ = $1; }
  | expr comp_chain {
        auto node = ast::make<ast::Compare>(SPAN(@$));
        node->left = $1;
        for (auto& step : $2) {
            node->ops.push_back(step.op);
            node->comparators.push_back(std::move(step.right));
        }
        $$ = std::move(node);
    }
  ;

comp_chain:
    comp_op expr { $$.push_back(front::CompareStep{$1, $2}); }
  | comp_chain comp_op expr { $$ = $1; $$.push_back(front::CompareStep{$2, $3}); }
  ;

comp_op:
    "'<'" { $$ = ast::CompareOperator::Lt; }
  | "'>'" { $$ = ast::CompareOperator::Gt; }
  | "'=='" { $$ = ast::CompareOperator::Eq; }
  | "'>='" { $$ = ast::CompareOperator::GtE; }
  | "'<='" { $$ = ast::CompareOperator::LtE; }
  | "'!='" { $$ = ast::CompareOperator::NotEq; }
  | "'in'" { $$ = ast::CompareOperator::In; }
  | "'not'" "'in'" { $$ = ast::CompareOperator::NotIn; }
  | "'is'" { $$ = ast::CompareOperator::Is; }
  | "'is'" "'not'" { $$ = ast::CompareOperator::IsNot; }
  ;

star_expr:
    "'*'" expr {
        auto node = ast::make<ast::Starred>(SPAN(@$));
        node->value = $2;
        $$ = std::move(node);
    }
  ;

expr:
    xor_expr { $$ = $1; }
  | expr "'|'" xor_expr { $$ = binary($1, ast::BinaryOperator::BitOr, $3, SPAN(@$)); }
  ;

xor_expr:
    and_expr { $$ = $1; }
  | xor_expr "'^'" and_expr { $$ = binary($1, ast::BinaryOperator::BitXor, $3, SPAN(@$)); }
  ;

and_expr:
    shift_expr { $$ = $1; }
  | and_expr "'&'" shift_expr { $$ = binary($1, ast::BinaryOperator::BitAnd, $3, SPAN(@$)); }
  ;

shift_expr:
    arith_expr { $$ = $1; }
  | shift_expr "'<<'" arith_expr { $$ = binary($1, ast::BinaryOperator::LShift, $3, SPAN(@$)); }
  | shift_expr "'>>'" arith_expr { $$ = binary($1, ast::BinaryOperator::RShift, $3, SPAN(@$)); }
  ;

arith_expr:
    term { $$ = $1; }
  | arith_expr "'+'" term { $$ = binary($1, ast::BinaryOperator::Add, $3, SPAN(@$)); }
  | arith_expr "'-'" term { $$ = binary($1, ast::BinaryOperator::Sub, $3, SPAN(@$)); }
  ;

term:
    factor { $$ = $1; }
  | term "'*'" factor { $$ = binary($1, ast::BinaryOperator::Mult, $3, SPAN(@$)); }
  | term "'/'" factor { $$ = binary($1, ast::BinaryOperator::Div, $3, SPAN(@$)); }
  | term "'%'" factor { $$ = binary($1, ast::BinaryOperator::Mod, $3, SPAN(@$)); }
  | term "'//'" factor { $$ = binary($1, ast::BinaryOperator::FloorDiv, $3, SPAN(@$)); }
  | term "'@'" factor { $$ = binary($1, ast::BinaryOperator::MatMult, $3, SPAN(@$)); }
  ;

factor:
    "'+'" factor { $$ = unary(ast::UnaryOperator::UAdd, $2, SPAN(@$)); }
  | "'-'" factor { $$ = unary(ast::UnaryOperator::USub, $2, SPAN(@$)); }
  | "'~'" factor { $$ = unary(ast::UnaryOperator::Invert, $2, SPAN(@$)); }
  | power { $$ = $1; }
  ;

// `**` binds tighter than a unary minus on its left (-2**2 == -4) and looser than one on
// its right (2**-1 == 0.5), and groups to the right.
power:
    await_primary { $$ = $1; }
  | await_primary "'**'" factor { $$ = binary($1, ast::BinaryOperator::Pow, $3, SPAN(@$)); }
  ;

await_primary:
    "'await'" atom_expr {
        auto node = ast::make<ast::Await>(SPAN(@$));
        node->value = $2;
        $$ = std::move(node);
    }
  | atom_expr { $$ = $1; }
  ;

atom_expr:
    atom { $$ = $1; }
  | atom_expr "'('" "')'" { $$ = driver.make_call($1, {}, SPAN(@$)); }
  | atom_expr "'('" arglist "')'" { $$ = driver.make_call($1, $3, SPAN(@$)); if (!$$) YYABORT; }
  | atom_expr "'['" subscriptlist "']'" {
        auto node = ast::make<ast::Subscript>(SPAN(@$));
        node->value = $1;
        node->slice = $3;
        $$ = std::move(node);
    }
  | atom_expr "'.'" NAME {
        auto node = ast::make<ast::Attribute>(SPAN(@$));
        node->value = $1;
        node->attr = $3;
        $$ = std::move(node);
    }
  ;

atom:
    "'('" "')'" { $$ = ast::make<ast::Tuple>(SPAN(@$)); }
  | "'('" yield_expr "')'" { $$ = $2; driver.mark_parenthesized($$.get()); }
  | "'('" testlist_comp "')'" { $$ = driver.make_display('(', $2, SPAN(@$)); if (!$$) YYABORT; }
  | "'['" "']'" { $$ = ast::make<ast::List>(SPAN(@$)); }
  | "'['" testlist_comp "']'" { $$ = driver.make_display('[', $2, SPAN(@$)); if (!$$) YYABORT; }
  | "'{'" "'}'" { $$ = ast::make<ast::Dict>(SPAN(@$)); }
  | "'{'" dictorsetmaker "'}'" { $$ = driver.make_display('{', $2, SPAN(@$)); if (!$$) YYABORT; }
  | NAME { $$ = name_node($1, SPAN(@$)); }
  | NUMBER { $$ = $1; }
  | strings_atom { $$ = $1; }
  | "'...'" { $$ = constant(ast::EllipsisLiteral{}, SPAN(@$)); }
  | "'None'" { $$ = constant(ast::NoneLiteral{}, SPAN(@$)); }
  | "'True'" { $$ = constant(true, SPAN(@$)); }
  | "'False'" { $$ = constant(false, SPAN(@$)); }
  ;

strings_atom:
    strings { $$ = driver.make_string($1, SPAN(@$)); if (!$$) YYABORT; }
  ;

// Adjacent string literals are one string: "ab" "cd" == "abcd".
strings:
    STRING { $$.push_back($1); }
  | strings STRING { $$ = $1; $$.push_back($2); }
  ;

testlist_comp:
    tc_elem comp_for { $$.elements.push_back($1); $$.generators = $2; }
  | tc_elems { $$.elements = $1; }
  | tc_elems "','" { $$.elements = $1; $$.has_comma = true; }
  ;

tc_elems:
    tc_elem { $$ = one_expr($1); }
  | tc_elems "','" tc_elem { $$ = $1; $$.push_back($3); }
  ;

tc_elem:
    namedexpr_test { $$ = $1; }
  | star_expr { $$ = $1; }
  ;

dictorsetmaker:
    test "':'" test comp_for {
        $$.is_dict = true;
        $$.keys.push_back($1);
        $$.values.push_back($3);
        $$.generators = $4;
    }
  | dict_items opt_comma { $$ = $1; }
  | tc_elem comp_for { $$.elements.push_back($1); $$.generators = $2; }
  | set_elems opt_comma { $$ = $1; }
  ;

dict_items:
    test "':'" test { $$.is_dict = true; $$.keys.push_back($1); $$.values.push_back($3); }
  | "'**'" expr { $$.is_dict = true; $$.keys.push_back(nullptr); $$.values.push_back($2); }
  | dict_items "','" test "':'" test { $$ = $1; $$.keys.push_back($3); $$.values.push_back($5); }
  | dict_items "','" "'**'" expr { $$ = $1; $$.keys.push_back(nullptr); $$.values.push_back($4); }
  ;

set_elems:
    tc_elem { $$.elements.push_back($1); }
  | set_elems "','" tc_elem { $$ = $1; $$.elements.push_back($3); }
  ;

// The `for ... in ... if ...` clauses of a comprehension; each `if` belongs to the `for`
// before it. The iterable and the conditions are or_tests: `x if c else y` needs brackets.
comp_for:
    comp_clause { $$.push_back($1); }
  | comp_for comp_clause { $$ = $1; $$.push_back($2); }
  | comp_for "'if'" or_test { $$ = $1; $$.back().ifs.push_back($3); }
  ;

comp_clause:
    "'for'" exprlist "'in'" or_test {
        $$.target = $2;
        if (!driver.check_target($$.target.get(), front::TargetUse::Comprehension)) YYABORT;
        $$.iter = $4;
    }
  | "'async'" "'for'" exprlist "'in'" or_test {
        $$.target = $3;
        if (!driver.check_target($$.target.get(), front::TargetUse::Comprehension)) YYABORT;
        $$.iter = $5;
        $$.is_async = true;
    }
  ;

// `x[*a]` subscripts with the tuple (*a,), as in CPython.
subscriptlist:
    sub_items {
        ast::ExprList items = $1;
        const bool starred = items.size() == 1 && items.front()->kind == ast::ExprKind::Starred;
        $$ = tuple_or_single(std::move(items), starred, SPAN(@$));
    }
  | sub_items "','" { $$ = tuple_or_single($1, true, SPAN(@$)); }
  ;

sub_items:
    subscript { $$ = one_expr($1); }
  | sub_items "','" subscript { $$ = $1; $$.push_back($3); }
  ;

subscript:
    namedexpr_test { $$ = $1; }
  | star_expr { $$ = $1; }
  | test_opt "':'" test_opt {
        auto node = ast::make<ast::Slice>(SPAN(@$));
        node->lower = $1;
        node->upper = $3;
        $$ = std::move(node);
    }
  | test_opt "':'" test_opt "':'" test_opt {
        auto node = ast::make<ast::Slice>(SPAN(@$));
        node->lower = $1;
        node->upper = $3;
        node->step = $5;
        $$ = std::move(node);
    }
  ;

test_opt:
    %empty { $$ = nullptr; }
  | test { $$ = $1; }
  ;

arglist:
    arg_items opt_comma { $$ = $1; }
  ;

arg_items:
    argument { $$.push_back($1); }
  | arg_items "','" argument { $$ = $1; $$.push_back($3); }
  ;

argument:
    test { $$.value = $1; $$.span = SPAN(@$); }
  | test comp_for {
        auto node = ast::make<ast::GeneratorExp>(SPAN(@$));
        node->elt = $1;
        node->generators = $2;
        $$.value = std::move(node);
        $$.is_generator = true;
        $$.span = SPAN(@$);
    }
  | test "':='" test {
        $$.value = driver.make_named_expr($1, $3, SPAN(@$));
        if (!$$.value) YYABORT;
        $$.span = SPAN(@$);
    }
  | test "'='" test {
        ast::ExprPtr target = $1;
        auto* name = ast::as<ast::Name>(target.get());
        if (!name || driver.is_parenthesized(name)) {
            driver.fail(SPAN(@$), "expression cannot contain assignment, perhaps you meant \"==\"?");
            YYABORT;
        }
        $$.kind = front::CallItem::Kind::Keyword;
        $$.name = name->id;
        $$.value = $3;
        $$.span = SPAN(@$);
    }
  | "'*'" test {
        auto node = ast::make<ast::Starred>(SPAN(@$));
        node->value = $2;
        $$.kind = front::CallItem::Kind::Starred;
        $$.value = std::move(node);
        $$.span = SPAN(@$);
    }
  | "'**'" test { $$.kind = front::CallItem::Kind::DoubleStarred; $$.value = $2; $$.span = SPAN(@$); }
  ;

exprlist:
    exprlist_items { $$ = tuple_or_single($1, false, SPAN(@$)); }
  | exprlist_items "','" { $$ = tuple_or_single($1, true, SPAN(@$)); }
  ;

exprlist_items:
    expr { $$ = one_expr($1); }
  | star_expr { $$ = one_expr($1); }
  | exprlist_items "','" expr { $$ = $1; $$.push_back($3); }
  | exprlist_items "','" star_expr { $$ = $1; $$.push_back($3); }
  ;

testlist:
    testlist_items { $$ = tuple_or_single($1, false, SPAN(@$)); }
  | testlist_items "','" { $$ = tuple_or_single($1, true, SPAN(@$)); }
  ;

testlist_items:
    test { $$ = one_expr($1); }
  | testlist_items "','" test { $$ = $1; $$.push_back($3); }
  ;

testlist_star_expr:
    testlist_star_items { $$ = tuple_or_single($1, false, SPAN(@$)); }
  | testlist_star_items "','" { $$ = tuple_or_single($1, true, SPAN(@$)); }
  ;

testlist_star_items:
    test { $$ = one_expr($1); }
  | star_expr { $$ = one_expr($1); }
  | testlist_star_items "','" test { $$ = $1; $$.push_back($3); }
  | testlist_star_items "','" star_expr { $$ = $1; $$.push_back($3); }
  ;

yield_expr:
    "'yield'" { $$ = ast::make<ast::Yield>(SPAN(@$)); }
  | "'yield'" "'from'" test {
        auto node = ast::make<ast::YieldFrom>(SPAN(@$));
        node->value = $3;
        $$ = std::move(node);
    }
  | "'yield'" testlist_star_expr {
        auto node = ast::make<ast::Yield>(SPAN(@$));
        node->value = $2;
        $$ = std::move(node);
    }
  ;

%%

namespace asy::grammar {

void Parser::error(const location_type& location, const std::string& message) {
    // Only reached for errors Bison finds outside report_syntax_error (memory exhaustion).
    driver.fail(front::to_span(location), message);
}

void Parser::report_syntax_error(const context& context) const {
    driver.report_syntax_error(context);
}

}  // namespace asy::grammar
