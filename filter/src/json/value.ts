/** Kinds of JSON values. */
export namespace JsonKind {
  export const Null: i32 = 0;
  export const Bool: i32 = 1;
  export const Num: i32 = 2;
  export const Str: i32 = 3;
  export const Arr: i32 = 4;
  export const Obj: i32 = 5;
}

/** One parsed JSON value; fields that do not belong to its kind keep their defaults. */
export class JsonValue {
  kind: i32 = JsonKind.Null;
  bool: bool = false;
  num: f64 = 0;
  str: string = "";
  /** Elements of an array, or values of an object (in source order). */
  items: JsonValue[] = [];
  /** Keys of an object, parallel to `items`. */
  keys: string[] = [];

  /** Value of key `key` in an object, or null. */
  get(key: string): JsonValue | null {
    for (let i = 0; i < this.keys.length; i++) {
      if (unchecked(this.keys[i]) == key) return unchecked(this.items[i]);
    }
    return null;
  }

  /** JSON name of this value's kind, for error messages. */
  kindName(): string {
    switch (this.kind) {
      case JsonKind.Null:
        return "null";
      case JsonKind.Bool:
        return "a boolean";
      case JsonKind.Num:
        return "a number";
      case JsonKind.Str:
        return "a string";
      case JsonKind.Arr:
        return "an array";
      default:
        return "an object";
    }
  }
}
