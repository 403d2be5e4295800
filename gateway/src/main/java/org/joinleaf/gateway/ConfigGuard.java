package org.joinleaf.gateway;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.joinleaf.spi.config.BadConfigurationException;
import org.joinleaf.spi.config.ConfigurationRules;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Keeps a bad value in a joinleaf configuration from reaching its component (issue 15 item 3). A Config Admin
 * plugin: as Config Admin hands an {@code org.joinleaf.*} configuration to Declarative Services, every property the
 * component's Metatype describes is checked (type, min/max, options); a value that fails is refused with one WARN
 * line naming the PID, key, value and rule, and the component gets the last configuration of that PID that passed
 * (before any passed: the refused keys are left out, so their defaults apply). Config Admin keeps what was saved; the
 * next good save applies as usual.
 *
 * <p>Rules across fields (heartbeat interval below its timeout, a per-socket budget within the total) are not in the
 * Metatype: the component's bundle offers them as a {@link ConfigurationRules} service, the code that builds its
 * settings, and a change breaking one is refused the same way. A plugin cannot veto a change, so the component's
 * {@code @Modified} still runs, with the previous values.
 */
// immediate: Config Admin gets and ungets plugins per use; a delayed component would forget the last good values.
@Component(immediate = true, property = ConfigurationPlugin.CM_RANKING + ":Integer=100")
public final class ConfigGuard implements ConfigurationPlugin {
    static final String REFUSED = "refused in configuration ";
    private static final String GUARDED = "org.joinleaf.";

    private final BundleContext context;
    private final MetaTypeService metatype;
    private final Logger log;
    private final Map<String, Dictionary<String, Object>> lastGood = new ConcurrentHashMap<>();

    @Activate
    public ConfigGuard(BundleContext context, @Reference MetaTypeService metatype, @Reference LoggerFactory loggers) {
        this.context = context;
        this.metatype = metatype;
        this.log = loggers.getLogger(ConfigGuard.class);
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        if (!(pid instanceof String) || !((String) pid).startsWith(GUARDED)) {
            return;
        }
        ObjectClassDefinition definition = definitionOf((String) pid);
        if (definition == null) {
            return;
        }
        List<String> refused = new ArrayList<>();
        for (AttributeDefinition attribute : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            Object value = properties.get(attribute.getID());
            String rule = value == null ? null : violation(attribute, value);
            if (rule != null) {
                refused.add(attribute.getID());
                String shown = attribute.getType() == AttributeDefinition.PASSWORD ? "(hidden)" : render(value);
                log.warn("{}{}: {}={} ({}); the previous value stays in force", REFUSED, pid, attribute.getID(),
                        shown, rule);
            }
        }
        if (refused.isEmpty()) {
            String broken = brokenRule((String) pid, properties);
            if (broken == null) {
                lastGood.put((String) pid, copy(properties));
                return;
            }
            refused.add(broken);
        }
        Dictionary<String, Object> previous = lastGood.get(pid);
        if (previous == null) {
            refused.forEach(properties::remove);
        } else {
            for (String key : Collections.list(properties.keys())) {
                properties.remove(key);
            }
            for (String key : Collections.list(previous.keys())) {
                properties.put(key, previous.get(key));
            }
        }
    }

    /**
     * The key of the first rule across fields that {@code properties} break, checked by the component's own
     * {@link ConfigurationRules} service (the code that builds its settings), after one WARN line; null when they
     * break none or no bundle offers rules for {@code pid}.
     */
    private String brokenRule(String pid, Dictionary<String, Object> properties) {
        Collection<ServiceReference<ConfigurationRules>> found;
        try {
            found = context.getServiceReferences(ConfigurationRules.class,
                    "(" + ConfigurationRules.PID + "=" + pid + ")");
        } catch (InvalidSyntaxException e) {
            return null; // a PID with filter characters: no rules can be registered for it
        }
        for (ServiceReference<ConfigurationRules> reference : found) {
            ConfigurationRules rules = context.getService(reference);
            if (rules == null) {
                continue;
            }
            try {
                rules.check(asMap(properties));
            } catch (BadConfigurationException e) {
                log.warn("{}{}: {}='{}' ({}); the previous value stays in force", REFUSED, pid, e.key(), e.shown(),
                        e.rule());
                return e.key();
            } catch (IllegalArgumentException e) {
                log.warn("{}{}: {}; the previous value stays in force", REFUSED, pid, e.getMessage());
                return "";
            } finally {
                context.ungetService(reference);
            }
        }
        return null;
    }

    private static Map<String, Object> asMap(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return map;
    }

    /** The Metatype of {@code pid} from whichever bundle declares it, or null. */
    private ObjectClassDefinition definitionOf(String pid) {
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
            if (info != null && List.of(info.getPids()).contains(pid)) {
                return info.getObjectClassDefinition(pid, null);
            }
        }
        return null;
    }

    /** Null when every element of {@code value} passes the attribute's validation, else the rule it breaks. */
    static String violation(AttributeDefinition attribute, Object value) {
        for (Object element : elements(value)) {
            String message = attribute.validate(String.valueOf(element).trim());
            if (message != null && !message.isEmpty()) {
                return (message.startsWith("%") ? message.substring(1) : message) + " for " + typeName(attribute)
                        + " '" + attribute.getName() + "'";
            }
        }
        return null;
    }

    private static List<Object> elements(Object value) {
        if (value instanceof Collection) {
            return new ArrayList<>((Collection<?>) value);
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            return list;
        }
        return List.of(value);
    }

    private static String typeName(AttributeDefinition attribute) {
        switch (attribute.getType()) {
            case AttributeDefinition.INTEGER: return "an Integer";
            case AttributeDefinition.LONG: return "a Long";
            case AttributeDefinition.BOOLEAN: return "a Boolean";
            case AttributeDefinition.DOUBLE: return "a Double";
            case AttributeDefinition.STRING: return "a String";
            default: return "type " + attribute.getType();
        }
    }

    private static String render(Object value) {
        return elements(value).size() == 1 && !value.getClass().isArray() && !(value instanceof Collection)
                ? "'" + value + "'" : String.valueOf(elements(value));
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Hashtable<String, Object> copy = new Hashtable<>();
        for (String key : Collections.list(properties.keys())) {
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
