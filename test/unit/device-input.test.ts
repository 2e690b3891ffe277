import { checkedDeviceInput, deviceName } from "../../src/domain/device-input";
import { InvalidInput } from "../../src/domain/errors";

// Names and app fields are plain text: shown to users as the thing to recognise.
describe("device names and app fields", () => {
  test("trimmed, normalised, kept as written otherwise", () => {
    expect(deviceName("  Alice's iPhone  ")).toBe("Alice's iPhone");
    expect(deviceName("Cafe\u0301")).toBe("Café");
    expect(deviceName("<b>Work</b> 💻")).toBe("<b>Work</b> 💻");
    expect(deviceName("x".repeat(64))).toHaveLength(64);
    // 64 characters, not UTF-16 units.
    expect(deviceName("📱".repeat(64))).toBe("📱".repeat(64));
  });

  test.each([
    ["empty", ""],
    ["only spaces", "   "],
    ["too long", "x".repeat(65)],
    ["a control character", "Alice\u0000"],
    ["a newline", "Alice\nBob"],
    ["a zero-width space", "Ali\u200bce"],
    ["a right-to-left override", "\u202eenohPi"],
    ["a line separator", "a\u2028b"],
    ["a private-use character", "a\ue000"],
  ])("%s is refused with the field named", (_label, name) => {
    expect(() => deviceName(name)).toThrow(InvalidInput);
    try {
      checkedDeviceInput({ name });
    } catch (error) {
      expect(error).toMatchObject({ field: "device.name" });
    }
  });

  test("the app's fields: an app version needs an app name; absent fields stay absent", () => {
    expect(checkedDeviceInput(undefined)).toEqual({});
    expect(checkedDeviceInput({ appName: " Acme ", appVersion: "3.2.1" })).toEqual({ name: null, appName: "Acme", appVersion: "3.2.1" });
    expect(() => checkedDeviceInput({ appVersion: "3.2.1" })).toThrow(expect.objectContaining({ field: "device.appVersion" }));
    expect(() => checkedDeviceInput({ appName: "A".repeat(65) })).toThrow(expect.objectContaining({ field: "device.appName" }));
    expect(() => checkedDeviceInput({ appName: "Acme", appVersion: "1".repeat(33) })).toThrow(expect.objectContaining({ field: "device.appVersion" }));
  });
});
