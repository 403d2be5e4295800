package org.joinleaf.spi.config;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Issue 12 item 4: the Metatype definition is the only place a default or range is written; a bad value is refused
 * naming PID, key, value and rule (one line, no stack trace).
 */
public class ConfigCheckTest {
    static final String PID = "org.joinleaf.example";

    enum Mode { OFF, ON }

    @ObjectClassDefinition(id = PID)
    @interface ExampleConfig {
        @AttributeDefinition(min = "1", max = "255")
        int scope() default 1;

        @AttributeDefinition(min = "0")
        long total() default 0;

        @AttributeDefinition
        int service_ranking() default 100;

        @AttributeDefinition(type = AttributeType.PASSWORD, min = "3")
        String _secret() default "";

        String[] names() default {"a"};

        Mode mode() default Mode.OFF;
    }

    @Test
    public void defaultsComeFromTheAnnotationAndOverridesAreConvertedAsDsWould() {
        ExampleConfig c = ConfigValues.of(ExampleConfig.class, Map.of("scope", 7L, "mode", "ON", "names", "x, y"));
        assertEquals(7, c.scope());
        assertEquals(0L, c.total());
        assertEquals(Mode.ON, c.mode());
        assertEquals(List.of("x", "y"), ListValues.of(c.names()));
        assertEquals(100, ConfigValues.defaults(ExampleConfig.class).service_ranking());
    }

    @Test
    public void aTypoInAnOverrideFailsLoudly() {
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.of(ExampleConfig.class, Map.of("scop", 1)));
    }

    @Test
    public void propertiesAreReadWithTheDsNameMapping() {
        ExampleConfig c = ConfigValues.fromProperties(ExampleConfig.class,
                Map.of("service.ranking", "5", ".secret", "pw", "scope", "9", "unrelated", "x"));
        assertEquals(5, c.service_ranking());
        assertEquals("pw", c._secret());
        assertEquals(9, c.scope());
        assertEquals("service.ranking", ConfigValues.propertyKey("service_ranking"));
        assertEquals("a_b", ConfigValues.propertyKey("a__b"));
        assertEquals("a-b", ConfigValues.propertyKey("a$_$b"));
    }

    @Test
    public void aValueOfTheWrongTypeNamesItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigValues.fromProperties(ExampleConfig.class, Map.of("scope", "two")));
        assertEquals("scope='two' is not an Integer", e.getMessage());
    }

    /** Rule: a value out of its Metatype range is refused naming PID, key, value and the allowed range. */
    @Test
    public void aValueOutOfItsMetatypeRangeIsRefusedNamingPidKeyValueAndRange() {
        BadConfigurationException e = assertThrows(BadConfigurationException.class,
                () -> ConfigCheck.of(PID, ConfigValues.of(ExampleConfig.class, Map.of("scope", 256))));
        assertEquals("configuration org.joinleaf.example: scope=256 refused (allowed range 1..255)", e.getMessage());
        assertEquals(0, e.getStackTrace().length);
        e = assertThrows(BadConfigurationException.class,
                () -> ConfigCheck.of(PID, ConfigValues.of(ExampleConfig.class, Map.of("total", -1))));
        assertEquals("configuration org.joinleaf.example: total=-1 refused (allowed range 0..)", e.getMessage());
        ConfigCheck.of(PID, ConfigValues.of(ExampleConfig.class, Map.of("scope", 255))); // the bound itself passes
    }

    /** Rule: a cross-field rule refuses naming the key; a password is never shown. */
    @Test
    public void aCrossFieldRuleNamesItsKeyAndAPasswordIsHidden() {
        ExampleConfig c = ConfigValues.of(ExampleConfig.class, Map.of("scope", 9, "total", 4));
        BadConfigurationException e = assertThrows(BadConfigurationException.class, () -> ConfigCheck.of(PID, c)
                .require(c.scope() <= c.total(), "scope", "must not exceed total (" + c.total() + ")"));
        assertEquals("configuration org.joinleaf.example: scope=9 refused (must not exceed total (4))",
                e.getMessage());
        assertEquals("scope", e.key());
        e = assertThrows(BadConfigurationException.class,
                () -> ConfigCheck.of(PID, c).require(false, "_secret", "must open the key store"));
        assertEquals("configuration org.joinleaf.example: .secret=(hidden) refused (must open the key store)",
                e.getMessage());
    }

    @Test
    public void listValuesSplitCommasAndDropEmptyElements() {
        assertArrayEquals(new Object[] {"a", "b", "c"}, ListValues.of(new String[] {" a,b ", "", "c,"}).toArray());
        assertEquals(List.of(), ListValues.of(null));
    }
}
