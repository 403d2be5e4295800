/**
 * One configuration path for every component (issue 12 item 4): a component's Metatype-annotated configuration type
 * is the only place its defaults and ranges are written. {@link org.joinleaf.spi.config.ConfigValues} builds an
 * instance of it without Config Admin (tests, benchmarks, the configuration guard), {@link
 * org.joinleaf.spi.config.ConfigCheck} checks an instance against the ranges of its Metatype and the component's
 * cross-field rules, and a refused value is a {@link org.joinleaf.spi.config.BadConfigurationException} naming PID,
 * key, value and rule. {@link org.joinleaf.spi.config.ListValues} reads list-valued properties.
 */
@Version("1.0.0")
@Export
package org.joinleaf.spi.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
