/** The line a Lambda invocation process prints last, before its JSON: `{"ms":…,"maxRssMb":…,"result":…}`. */
export const INVOCATION_MARKER = "@@invocation ";
