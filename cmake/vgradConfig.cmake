# vgradConfig.cmake: find_package(vgrad) for CMake projects (README.md,
# "Building with Make, Ninja and CMake").  Installed as
# PREFIX/lib/cmake/vgrad/; every path is found from this file's place, so
# an installed tree can be moved.
#
#   find_package(vgrad 0.1 REQUIRED)
#   add_executable(fit main.c loss.c)
#   vgrad_add_gradient(fit SOURCES loss.c [OPTIONS vgradcc-options...])
#   target_link_libraries(fit PRIVATE vgrad::vgrad)
#
# Gives
#   vgrad::vgrad         libvgrad.a, its include directory and -lm
#   vgrad::vgradcc       the vgradcc executable (VGRADCC_EXECUTABLE: its path)
#   vgrad_add_gradient   runs vgradcc on each source at build time (below)

cmake_policy(PUSH)
cmake_policy(VERSION 3.20...3.31)

if(CMAKE_VERSION VERSION_LESS 3.20)
  # DEPFILE with the Makefile generators needs 3.20.
  set(vgrad_FOUND FALSE)
  set(vgrad_NOT_FOUND_MESSAGE "vgrad needs CMake 3.20 or newer (this is ${CMAKE_VERSION})")
  cmake_policy(POP)
  return()
endif()

get_filename_component(_vgrad_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

foreach(_vgrad_file IN ITEMS bin/vgradcc include/vgrad.h lib/libvgrad.a)
  if(NOT EXISTS "${_vgrad_prefix}/${_vgrad_file}")
    set(vgrad_FOUND FALSE)
    set(vgrad_NOT_FOUND_MESSAGE "${_vgrad_prefix}/${_vgrad_file} is missing: reinstall vgradcc (make install)")
    cmake_policy(POP)
    return()
  endif()
endforeach()

if(NOT TARGET vgrad::vgrad)
  add_library(vgrad::vgrad STATIC IMPORTED)
  set_target_properties(vgrad::vgrad PROPERTIES
    IMPORTED_LOCATION "${_vgrad_prefix}/lib/libvgrad.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES C
    INTERFACE_INCLUDE_DIRECTORIES "${_vgrad_prefix}/include"
    INTERFACE_LINK_LIBRARIES m)
endif()
if(NOT TARGET vgrad::vgradcc)
  add_executable(vgrad::vgradcc IMPORTED)
  set_target_properties(vgrad::vgradcc PROPERTIES IMPORTED_LOCATION "${_vgrad_prefix}/bin/vgradcc")
endif()
set(VGRADCC_EXECUTABLE "${_vgrad_prefix}/bin/vgradcc")

# vgrad_add_gradient(TARGET SOURCES a.c ... [OPTIONS ...])
#
# For each source, a build step runs
#   vgradcc -MD -MF NAME.vg.d [-I... -D... of TARGET] [OPTIONS] a.c -o DIR/NAME.vg.c
# with DIR = ${CMAKE_CURRENT_BINARY_DIR}/vgrad/TARGET, and adds DIR/NAME.vg.c
# and DIR/NAME.vg.h to TARGET, DIR and the source's directory to its
# include directories (for #include "NAME.vg.h" and the headers NAME.vg.h
# includes as a.c spells them).  The step runs again when a.c, a header it
# includes (vgradcc's dependency file) or vgradcc changes; an output whose
# text is unchanged keeps its time stamp, so nothing is recompiled for it
# (Make and Ninja alike).  The sources stay in TARGET's (or a library's)
# sources as usual; they are compiled with -Wno-unknown-pragmas (gcc and
# clang), so that a `#pragma vgrad` passes -Wall -Werror.
function(vgrad_add_gradient target)
  cmake_parse_arguments(PARSE_ARGV 1 _vg "" "" "SOURCES;OPTIONS")
  if(_vg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "vgrad_add_gradient: unexpected arguments: ${_vg_UNPARSED_ARGUMENTS} "
                        "(usage: vgrad_add_gradient(TARGET SOURCES a.c ... [OPTIONS ...]))")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "vgrad_add_gradient: '${target}' is not a target")
  endif()
  if(NOT _vg_SOURCES)
    message(FATAL_ERROR "vgrad_add_gradient(${target}): no SOURCES")
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/vgrad/${target}")
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defines "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(seen_names "")
  foreach(src IN LISTS _vg_SOURCES)
    get_filename_component(src_path "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(src_dir "${src_path}" DIRECTORY)
    get_filename_component(name "${src_path}" NAME_WLE)
    if(name IN_LIST seen_names)
      message(FATAL_ERROR "vgrad_add_gradient(${target}): two sources named ${name}.c; "
                          "their ${name}.vg.c would be one file: use a second target")
    endif()
    list(APPEND seen_names "${name}")
    set(out_c "${out_dir}/${name}.vg.c")
    set(out_h "${out_dir}/${name}.vg.h")
    set(dep_file "${out_dir}/${name}.vg.d")
    # The stamp is the step's output, touched at each run; NAME.vg.c and
    # NAME.vg.h are by-products that vgradcc rewrites only when their text
    # changes: what includes or compiles them is rebuilt only then, and
    # Make, which cannot see that a step left its outputs alone, does not
    # run the step again at every build.
    set(stamp "${out_dir}/${name}.vg.stamp")
    add_custom_command(
      OUTPUT "${stamp}"
      BYPRODUCTS "${out_c}" "${out_h}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
      COMMAND vgrad::vgradcc -MD -MF "${dep_file}" -MT "${stamp}"
              "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
              "$<$<BOOL:${defines}>:-D$<JOIN:${defines},;-D>>"
              ${_vg_OPTIONS} "${src_path}" -o "${out_c}"
      COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
      DEPENDS "${src_path}" "$<TARGET_FILE:vgrad::vgradcc>"
      DEPFILE "${dep_file}"
      COMMENT "vgradcc ${name}.c: ${name}.vg.c, ${name}.vg.h"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    target_sources("${target}" PRIVATE "${stamp}" "${out_c}" "${out_h}")
    target_include_directories("${target}" PRIVATE "${out_dir}" "${src_dir}")
    # gcc and clang warn about the pragma they do not know (-Wall).
    set_property(SOURCE "${src_path}" TARGET_DIRECTORY "${target}" APPEND PROPERTY COMPILE_OPTIONS
                 "$<$<COMPILE_LANG_AND_ID:C,GNU,Clang,AppleClang>:-Wno-unknown-pragmas>")
  endforeach()
endfunction()

unset(_vgrad_file)
unset(_vgrad_prefix)
set(vgrad_FOUND TRUE)
cmake_policy(POP)
