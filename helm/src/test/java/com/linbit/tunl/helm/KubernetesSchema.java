package com.linbit.tunl.helm;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;

/**
 * A rendered manifest read into the Kubernetes API type its apiVersion and kind name, with the
 * models client-java-api generates from the API's OpenAPI spec: an unknown field, a missing
 * required one, or a value of the wrong JSON type is an error, as it is for the API server's strict
 * decoding. Enum values, name formats and the rest of the server's own validation are not checked.
 */
final class KubernetesSchema {

    private static final Map<String, Class<?>> MODELS = Map.of(
            "apps/v1 Deployment", V1Deployment.class,
            "v1 Service", V1Service.class,
            "v1 Secret", V1Secret.class,
            "v1 PersistentVolumeClaim", V1PersistentVolumeClaim.class,
            "networking.k8s.io/v1 Ingress", V1Ingress.class,
            "networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy.class);

    // CRDs have no models in client-java: of these only the metadata (the API's own ObjectMeta) is
    // checked; their spec is NOT schema-checked. Any kind in neither list fails the check.
    private static final Set<String> CUSTOM_RESOURCES = Set.of("monitoring.coreos.com/v1 ServiceMonitor");

    // The models' own Gson reads "443" into an int, 5 into a string and "yes" into false; Go's
    // decoder in the API server refuses all three, so scalars are read as strictly here.
    private static final Gson GSON = JSON.getGson().newBuilder().registerTypeAdapterFactory(new StrictScalars()).create();

    private KubernetesSchema() {
    }

    static void check(Map<String, Object> manifest) {
        String type = manifest.get("apiVersion") + " " + manifest.get("kind");
        // The model leaves it optional (generateName); the API server needs one, the chart sets one.
        Object name = manifest.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
        if (!(name instanceof String)) {
            throw new AssertionError(type + " without a metadata.name");
        }
        JsonObject json = toJson(manifest).getAsJsonObject();
        Class<?> model = MODELS.get(type);
        if (model == null && CUSTOM_RESOURCES.contains(type)) {
            model = V1ObjectMeta.class;
            json = json.getAsJsonObject("metadata");
        }
        if (model == null) {
            throw new AssertionError("no API model for " + type + ": map it in KubernetesSchema, or list it as a custom resource");
        }
        try {
            GSON.fromJson(json, model);
        } catch (RuntimeException invalid) {
            throw new AssertionError(type + " " + name + " does not fit " + model.getSimpleName() + ": " + invalid.getMessage(), invalid);
        }
    }

    private static JsonElement toJson(Object yaml) {
        if (yaml == null) {
            return JsonNull.INSTANCE;
        } else if (yaml instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((key, value) -> object.add(String.valueOf(key), toJson(value)));
            return object;
        } else if (yaml instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(value -> array.add(toJson(value)));
            return array;
        } else if (yaml instanceof String string) {
            return new JsonPrimitive(string);
        } else if (yaml instanceof Number number) {
            return new JsonPrimitive(number);
        } else if (yaml instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        throw new AssertionError("YAML value " + yaml + " (" + yaml.getClass().getName() + ") has no JSON form");
    }

    private static final class StrictScalars implements TypeAdapterFactory {

        private record Scalar(String name, Predicate<JsonElement> accepts) {
        }

        private static final Map<Class<?>, Scalar> SCALARS = Map.of(
                String.class, new Scalar("a string", value -> primitive(value, JsonPrimitive::isString)),
                Boolean.class, new Scalar("true or false", value -> primitive(value, JsonPrimitive::isBoolean)),
                Integer.class, new Scalar("an int32", value -> whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE)),
                Long.class, new Scalar("an int64", value -> whole(value, Long.MIN_VALUE, Long.MAX_VALUE)),
                Double.class, new Scalar("a number", value -> primitive(value, JsonPrimitive::isNumber)),
                // Padded, as Go's decoder wants it; line breaks, which Go skips, are refused (b64enc writes none).
                // Decoded here, since the models' own adapter needs okio, which is left out (see pom.xml).
                byte[].class, new Scalar("base64", value -> primitive(value, JsonPrimitive::isString)
                        && value.getAsString().length() % 4 == 0 && decodes(value.getAsString())));

        @Override
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Scalar scalar = SCALARS.get(type.getRawType());
            if (scalar == null) {
                return null;
            }
            TypeAdapter<T> lenient = gson.getDelegateAdapter(this, type);
            return new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    if (value instanceof byte[] bytes) {
                        out.value(Base64.getEncoder().encodeToString(bytes));
                    } else {
                        lenient.write(out, value);
                    }
                }

                @SuppressWarnings("unchecked")
                @Override
                public T read(JsonReader in) throws IOException {
                    // A map's key is read as a value, so the path of what follows ends at the map.
                    String path = in.getPath();
                    String where = path.endsWith(".") ? "a value in " + path.substring(0, path.length() - 1) : "the field at " + path;
                    JsonElement value = JsonParser.parseReader(in);
                    if (value.isJsonNull()) {
                        return null;
                    }
                    if (!scalar.accepts().test(value)) {
                        throw new JsonSyntaxException(where + " takes " + scalar.name() + ", not " + value);
                    }
                    return type.getRawType() == byte[].class ? (T) Base64.getDecoder().decode(value.getAsString())
                            : lenient.fromJsonTree(value);
                }
            };
        }

        private static boolean primitive(JsonElement value, Predicate<JsonPrimitive> kind) {
            return value.isJsonPrimitive() && kind.test(value.getAsJsonPrimitive());
        }

        private static boolean whole(JsonElement value, long min, long max) {
            if (!primitive(value, JsonPrimitive::isNumber)) {
                return false;
            }
            // A whole 443.0 passes: Helm's YAML-to-JSON step writes it as 443, which Go reads into an int.
            BigDecimal number = value.getAsBigDecimal();
            return number.stripTrailingZeros().scale() <= 0
                    && number.compareTo(BigDecimal.valueOf(min)) >= 0 && number.compareTo(BigDecimal.valueOf(max)) <= 0;
        }

        private static boolean decodes(String base64) {
            try {
                Base64.getDecoder().decode(base64);
                return true;
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
    }
}
