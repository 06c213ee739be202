// The asy standard library written in asy (stdlib/**/*.asy), compiled into the binary.
// The build writes the definition of embedded_stdlib() from the .asy files
// (cmake/embed_stdlib_sources.cmake); the import machinery looks modules up in it.
#pragma once

#include <span>
#include <string_view>

namespace asy {

// One embedded source file.
struct EmbeddedFile {
    // The path relative to stdlib/, with forward slashes: "asyncio/queues.asy".
    std::string_view path;
    // The whole file as written, UTF-8. It lives in static storage for the whole run.
    std::string_view source;
};

// Every embedded file, sorted by path. Empty when stdlib/ holds no .asy files.
[[nodiscard]] std::span<const EmbeddedFile> embedded_stdlib();

} // namespace asy
