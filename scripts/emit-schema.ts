import "reflect-metadata";
import { SCHEMA_FILE, emitSchema } from "../src/schema";

emitSchema().then(
  () => console.log(`wrote ${SCHEMA_FILE}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
