# ww_bpf_object(NAME SOURCE SKEL_DIR DIR): compiles SOURCE (relative to the calling
# directory) with clang -target bpf into NAME.bpf.o and generates DIR/NAME.skel.h with
# bpftool. Ninja tracks the headers through clang's depfile, so a new #include needs no
# CMake edit. With WW_WERROR every BPF warning fails the build, as for C++.
# Include it in every directory that uses it: the flags below are directory variables.

find_program(CLANG clang REQUIRED)
find_program(BPFTOOL bpftool PATHS /usr/sbin /sbin REQUIRED)

# The kernel headers' arch-specific parts (bpf_tracing.h, asm/) key off __TARGET_ARCH_*,
# named after the kernel's arch directories rather than the toolchain's.
function(_ww_bpf_target_arch out)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" processor)
  if(processor MATCHES "^(x86_64|amd64|i.86)$")
    set(arch x86)
  elseif(processor MATCHES "^(aarch64|arm64)")
    set(arch arm64)
  elseif(processor MATCHES "^arm")
    set(arch arm)
  elseif(processor MATCHES "^mips")
    set(arch mips)
  elseif(processor MATCHES "^riscv")
    set(arch riscv)
  elseif(processor MATCHES "^(ppc|powerpc)")
    set(arch powerpc)
  elseif(processor MATCHES "^s390")
    set(arch s390)
  elseif(processor MATCHES "^loongarch")
    set(arch loongarch)
  else()
    message(FATAL_ERROR "BPF: no __TARGET_ARCH for processor '${CMAKE_SYSTEM_PROCESSOR}'")
  endif()
  set(${out} ${arch} PARENT_SCOPE)
endfunction()

# -target bpf drops the host's multiarch directory (asm/types.h lives there), so the
# host clang's own search list is appended after the BPF one, as libbpf-bootstrap does.
function(_ww_bpf_system_includes out)
  execute_process(
    COMMAND ${CLANG} -v -E -
    INPUT_FILE /dev/null
    OUTPUT_QUIET
    ERROR_VARIABLE search
    RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "BPF: '${CLANG} -v -E -' failed:\n${search}")
  endif()
  string(REGEX MATCH "#include <\\.\\.\\.> search starts here:\n(.*)\nEnd of search list\\."
               _ "${search}")
  string(REGEX REPLACE "\n" ";" dirs "${CMAKE_MATCH_1}")
  set(flags)
  foreach(dir IN LISTS dirs)
    string(STRIP "${dir}" dir)
    if(dir)
      list(APPEND flags -idirafter ${dir})
    endif()
  endforeach()
  if(NOT flags)
    message(FATAL_ERROR "BPF: no system include directories in '${CLANG} -v -E -':\n${search}")
  endif()
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

_ww_bpf_target_arch(WW_BPF_TARGET_ARCH)
_ww_bpf_system_includes(WW_BPF_SYSTEM_INCLUDES)

set(WW_BPF_CFLAGS -g -O2 -target bpf -mcpu=v3 -Wall -Wextra -Wno-unused-parameter
                  -D__TARGET_ARCH_${WW_BPF_TARGET_ARCH})
if(WW_WERROR)
  list(APPEND WW_BPF_CFLAGS -Werror)
endif()

function(ww_bpf_object name source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "SKEL_DIR" "")
  if(NOT arg_SKEL_DIR)
    message(FATAL_ERROR "ww_bpf_object(${name}): SKEL_DIR is required")
  endif()
  file(MAKE_DIRECTORY ${arg_SKEL_DIR})
  set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.bpf.o)
  set(skel ${arg_SKEL_DIR}/${name}.skel.h)
  add_custom_command(
    OUTPUT ${obj}
    COMMAND ${CLANG} ${WW_BPF_CFLAGS} -I${PROJECT_SOURCE_DIR}/include ${WW_BPF_SYSTEM_INCLUDES}
            -MD -MF ${obj}.d -c ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${obj}
    DEPENDS ${source}
    DEPFILE ${obj}.d
    COMMENT "BPF ${source}"
    VERBATIM)
  add_custom_command(
    OUTPUT ${skel}
    COMMAND ${BPFTOOL} gen skeleton ${obj} name ${name} > ${skel}
    DEPENDS ${obj}
    COMMENT "skeleton ${name}"
    VERBATIM)
  add_custom_target(${name}_skel DEPENDS ${skel})
endfunction()
