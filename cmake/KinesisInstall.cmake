include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS kinesis EXPORT kinesis-targets)
install(DIRECTORY include/kinesis DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT kinesis-targets
  NAMESPACE kinesis::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kinesis)
configure_package_config_file(cmake/kinesis-config.cmake.in
  ${PROJECT_BINARY_DIR}/kinesis-config.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kinesis)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kinesis-config-version.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  ${PROJECT_BINARY_DIR}/kinesis-config.cmake
  ${PROJECT_BINARY_DIR}/kinesis-config-version.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kinesis)
