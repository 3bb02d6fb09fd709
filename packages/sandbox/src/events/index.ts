export * from "./finding-events.js";
export * from "./hub-bus.js";
export * from "./injector.js";
export * from "./moto-json.js";
