// The landing page's bundle: React and the page, no router, no API client.
import { mount } from "../mount";
import { Landing } from "../pages/Landing";

mount(() => <Landing />);
