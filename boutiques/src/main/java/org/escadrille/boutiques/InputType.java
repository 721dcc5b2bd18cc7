package org.escadrille.boutiques;

/** The four input types of Boutiques; the JSON spelling is {@link #jsonName()}. */
public enum InputType {
    STRING("String"), FILE("File"), FLAG("Flag"), NUMBER("Number");

    private final String jsonName;

    InputType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The type spelled {@code name} in a descriptor. */
    public static InputType fromJson(String name) {
        for (InputType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a Boutiques input type: " + name);
    }
}
