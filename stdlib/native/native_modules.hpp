// The native modules of the containers-and-builtins part: sys, json, time and random. Each
// init function fills a fresh module's namespace when a program first imports it
// (VM::register_native_module); runtime/builtins.cpp registers them at start-up.
#pragma once

namespace asy {

class VM;
struct Module;

bool init_sys_module(VM& vm, Module* module);
bool init_json_module(VM& vm, Module* module);
bool init_time_module(VM& vm, Module* module);
bool init_random_module(VM& vm, Module* module);

}  // namespace asy
