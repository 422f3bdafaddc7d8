# Runs one fuzz target (cmake -P): first on every committed regression input (each
# once), then fuzzing for SECONDS on a fresh copy of the seed corpus, so the committed
# corpus never changes. A crash leaves its input in WORK and fails the test.
if(NOT FUZZER)
  message(FATAL_ERROR "cannot fuzz: ${PROBLEM}")
endif()
if(NOT EXISTS ${FUZZER})
  message(FATAL_ERROR "cannot fuzz: ${FUZZER} was not built")
endif()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus)

file(GLOB regressions ${REGRESSIONS}/*)
if(regressions)
  execute_process(COMMAND ${FUZZER} ${regressions} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "a committed regression input of ${REGRESSIONS} fails again (exit ${result})")
  endif()
endif()

file(GLOB seeds ${CORPUS}/*)
if(NOT seeds)
  message(FATAL_ERROR "no seed files in ${CORPUS}")
endif()
file(COPY ${seeds} DESTINATION ${WORK}/corpus)
set(dict "")
if(EXISTS ${DICT})
  set(dict -dict=${DICT})
endif()
execute_process(
  COMMAND ${FUZZER} ${WORK}/corpus -max_total_time=${SECONDS} -max_len=${MAX_LEN} -timeout=10
          -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=${WORK}/ ${dict}
  WORKING_DIRECTORY ${WORK}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(GLOB found ${WORK}/crash-* ${WORK}/leak-* ${WORK}/timeout-* ${WORK}/oom-* ${WORK}/slow-unit-*)
  message(FATAL_ERROR "the fuzzer found a problem (exit ${result}): ${found}\n"
                      "reproduce with: ${FUZZER} <that file>; once fixed, commit it to ${REGRESSIONS}/")
endif()
