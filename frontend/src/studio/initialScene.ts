// The scene the studio opens with: the boot scenario if the page has one, else an empty one.
import { fromScenario } from "../model/serialize";
import { emptyScene, type Scene } from "../model/types";
import type { BootData } from "./boot";

export function initialScene(boot: BootData): Scene {
  if (boot.scenario) {
    try {
      return fromScenario(boot.scenario);
    } catch (e) {
      console.error("topolab: could not read the saved scenario", e);
    }
  }
  return emptyScene();
}
