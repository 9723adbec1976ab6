# `cmake --install build [--prefix /usr/local]`: what scripts/westworld-agent.service
# expects on a router. The unit's ExecStart names the agent by its full path, so the unit
# is installed with that path rewritten to the prefix chosen at install time.
include_guard(GLOBAL)
include(GNUInstallDirs)

set(WW_SYSTEMD_UNIT_DIR lib/systemd/system
    CACHE STRING "Where the systemd unit goes, relative to the install prefix")

install(TARGETS westworld-agent wwctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/policies/example.yaml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/westworld/examples RENAME policy.yaml)
# The shipped quests and the campaigns over them, beside the example policy: copied to
# /etc/westworld/quests and /etc/westworld/campaigns, where wwctl looks before a source tree.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policies/quests ${PROJECT_SOURCE_DIR}/policies/campaigns
        DESTINATION ${CMAKE_INSTALL_DATADIR}/westworld FILES_MATCHING PATTERN "*.yaml")

set(_ww_unit ${PROJECT_SOURCE_DIR}/scripts/westworld-agent.service)
install(CODE "
  set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
  if(NOT IS_ABSOLUTE \"\${prefix}\")
    get_filename_component(prefix \"\${prefix}\" ABSOLUTE)
  endif()
  file(READ \"${_ww_unit}\" unit)
  string(REPLACE \"ExecStart=/usr/local/bin/\" \"ExecStart=\${prefix}/${CMAKE_INSTALL_BINDIR}/\"
         unit \"\${unit}\")
  set(dir \"\$ENV{DESTDIR}\${prefix}/${WW_SYSTEMD_UNIT_DIR}\")
  message(STATUS \"Installing: \${dir}/westworld-agent.service\")
  file(WRITE \"\${dir}/westworld-agent.service\" \"\${unit}\")
")
