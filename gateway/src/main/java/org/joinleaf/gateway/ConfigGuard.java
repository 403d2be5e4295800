package org.joinleaf.gateway;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
 * <p>Limits: a plugin cannot veto a change, so a component without {@code @Modified} is still restarted (with its
 * previous values); rules across fields are not in the Metatype and not checked here.
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
            lastGood.put((String) pid, copy(properties));
            return;
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
