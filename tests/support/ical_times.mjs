// Reads an iCalendar file on stdin with Mozilla's ical.js, the way web calendars built on it
// do (the file's own VTIMEZONEs registered first), and prints every event's start and end
// as UTC instants: [{"uid", "start", "end", "tzid"}] (seconds since 1970).
import { readFileSync } from "node:fs";
import ICAL from "../assets/ical.js/ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
    tzid: event.startDate.zone.tzid,
  };
});
process.stdout.write(JSON.stringify(events));
