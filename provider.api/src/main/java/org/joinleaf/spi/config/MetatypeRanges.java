package org.joinleaf.spi.config;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code min} and {@code max} an {@code @AttributeDefinition} writes for each attribute of a configuration type.
 * The Metatype annotations are kept in the class file only ({@code RetentionPolicy.CLASS}: bnd reads them there to
 * write the Metatype XML), so this reads them from the same class file, the way bnd does: one definition, read by
 * the build for Config Admin and by {@link ConfigCheck} at activation, in or outside OSGi.
 */
final class MetatypeRanges {
    private static final String ATTRIBUTE_DEFINITION = "Lorg/osgi/service/metatype/annotations/AttributeDefinition;";
    private static final Map<Class<?>, Map<String, Range>> CACHE = new ConcurrentHashMap<>();

    /** What one attribute allows; {@code min} or {@code max} null when the Metatype sets none. */
    record Range(String min, String max, boolean password) {
        static final Range ANY = new Range(null, null, false);

        String describe() {
            return "allowed range " + (min == null ? "" : min) + ".." + (max == null ? "" : max);
        }
    }

    private MetatypeRanges() {
    }

    /** The ranges of every attribute of {@code type} that has an {@code @AttributeDefinition}, by method name. */
    static Map<String, Range> of(Class<?> type) {
        return CACHE.computeIfAbsent(type, MetatypeRanges::read);
    }

    private static Map<String, Range> read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file of " + type.getName() + " not found");
            }
            return new Reader(new DataInputStream(in)).ranges();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Metatype of " + type.getName(), e);
        }
    }

    /** A class file reader that keeps only each method's {@code RuntimeInvisibleAnnotations} (JVMS 4.7.17). */
    private static final class Reader {
        private final DataInputStream in;
        private Object[] pool;

        Reader(DataInputStream in) {
            this.in = in;
        }

        Map<String, Range> ranges() throws IOException {
            in.readInt(); // magic
            in.readUnsignedShort();
            in.readUnsignedShort();
            readPool();
            in.readUnsignedShort(); // access
            in.readUnsignedShort(); // this
            in.readUnsignedShort(); // super
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            int fields = in.readUnsignedShort();
            for (int i = 0; i < fields; i++) {
                in.skipNBytes(6);
                skipAttributes();
            }
            Map<String, Range> ranges = new HashMap<>();
            int methods = in.readUnsignedShort();
            for (int i = 0; i < methods; i++) {
                in.readUnsignedShort();
                String name = (String) pool[in.readUnsignedShort()];
                in.readUnsignedShort();
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = (String) pool[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("RuntimeInvisibleAnnotations")) {
                        Range range = annotations();
                        if (range != null) {
                            ranges.put(name, range);
                        }
                    } else {
                        in.skipNBytes(length);
                    }
                }
            }
            return ranges;
        }

        private void readPool() throws IOException {
            pool = new Object[in.readUnsignedShort()];
            for (int i = 1; i < pool.length; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF();
                    case 3 -> pool[i] = in.readInt();
                    case 4 -> pool[i] = in.readFloat();
                    case 5 -> pool[i++] = in.readLong();
                    case 6 -> pool[i++] = in.readDouble();
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
        }

        private void skipAttributes() throws IOException {
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                in.readUnsignedShort();
                in.skipNBytes(in.readInt());
            }
        }

        /** The range of the method's {@code @AttributeDefinition}, or null when it has none. */
        private Range annotations() throws IOException {
            Range found = null;
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                Map<String, Object> elements = new HashMap<>();
                boolean definition = annotation(elements);
                if (definition) {
                    found = new Range((String) elements.get("min"), (String) elements.get("max"),
                            "PASSWORD".equals(elements.get("type")));
                }
            }
            return found;
        }

        /** Reads one annotation; its constant elements go into {@code elements}. True for an AttributeDefinition. */
        private boolean annotation(Map<String, Object> elements) throws IOException {
            String type = (String) pool[in.readUnsignedShort()];
            int pairs = in.readUnsignedShort();
            for (int p = 0; p < pairs; p++) {
                String name = (String) pool[in.readUnsignedShort()];
                Object value = elementValue();
                if (value != null) {
                    elements.put(name, value);
                }
            }
            return type.equals(ATTRIBUTE_DEFINITION);
        }

        /** A constant (String, number) or an enum constant's name; null for arrays, classes, annotations. */
        private Object elementValue() throws IOException {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 'e':
                    in.readUnsignedShort();
                    return pool[in.readUnsignedShort()];
                case 'c':
                    in.readUnsignedShort();
                    return null;
                case '@':
                    annotation(new HashMap<>());
                    return null;
                case '[':
                    int n = in.readUnsignedShort();
                    for (int i = 0; i < n; i++) {
                        elementValue();
                    }
                    return null;
                default:
                    return pool[in.readUnsignedShort()];
            }
        }
    }
}
