// findBy*/waitFor wait up to 5 s, not 1 s: on a busy 2-core machine (make test runs the
// services' suites beside these) a page's mocked answers can take longer than a second.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 5000 });
