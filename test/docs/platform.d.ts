// The parts of the mobile platforms' modules that docs/mobile.md uses, so its code compiles here
// without installing React Native or Expo.
declare module "expo-secure-store" {
  export function getItemAsync(key: string): Promise<string | null>;
  export function setItemAsync(key: string, value: string): Promise<void>;
  export function deleteItemAsync(key: string): Promise<void>;
}

declare module "react-native" {
  export type AppStateStatus = "active" | "background" | "inactive" | "unknown" | "extension";
  export const AppState: { addEventListener(type: "change", listener: (state: AppStateStatus) => void): { remove(): void } };
}
