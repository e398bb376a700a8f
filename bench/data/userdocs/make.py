#!/usr/bin/env python3
"""Generate the Marlow County user-document test collection and its questions.

Run:  python3 make.py          (needs fpdf2 and python-docx; pypdf optional, for
                                checking the expects against text extracted from
                                the generated PDFs/DOCX/HTML)

All document text lives in this file. Each document is described as a list of
blocks; the same blocks produce both the real file (PDF/DOCX/HTML/MD/CSV/TXT)
and the plain "source text" that the question expects are checked against.
"""
import csv
import html
import io
import json
import os
import re
import sys
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
os.makedirs(DOCS, exist_ok=True)

SOURCE = {}  # doc stem -> plain text written into that file


# ---------------------------------------------------------------------------
# 1. Harbor House intake policy (DOCX: headings, numbered steps, bullet list)
# ---------------------------------------------------------------------------
HARBOR = [
    ("title", "Harbor House Shelter: Intake and Admission Policy"),
    ("p", "Marlow Shelter Alliance | 212 Mill Street, Easton | Revised March 2024"),
    ("h1", "1. Purpose"),
    ("p", "This policy describes how staff and volunteers admit guests to Harbor House, "
          "the emergency overnight shelter for adults in Easton. It replaces the intake "
          "policy dated June 2021. Every staff member and volunteer who works the front "
          "desk must read it before their first shift."),
    ("h1", "2. Who We Serve"),
    ("p", "Harbor House serves adults aged 18 and older who have no safe place to sleep. "
          "Photo ID is not required for an emergency stay. Guests who do not have ID will "
          "be offered help getting one from a case manager."),
    ("p", "The shelter has 38 beds: 26 in the men's dormitory and 12 in the women's "
          "dormitory. Transgender and non-binary guests are housed according to their "
          "stated gender identity, or in the private room near the front desk if they prefer."),
    ("p", "There is no charge to stay at Harbor House."),
    ("h1", "3. Intake Hours and Process"),
    ("p", "New guests are admitted between 4:00 pm and 10:00 pm every day, including "
          "holidays. After 10:00 pm, staff will admit a new guest only when a bed is open "
          "and the referral comes from police, hospital staff, or the Marlow County Crisis Line."),
    ("p", "Call the intake line at 555-0142 to check bed availability. Beds are not "
          "reserved by phone except for referrals from a Harbor House case manager."),
    ("p", "Intake steps:"),
    ("num", "Greet the guest and offer water or a hot drink."),
    ("num", "Complete the one-page intake form. Only a first name and date of birth are "
            "required on the first night."),
    ("num", "Do a brief bag check in the guest's presence. Guests may bring up to two bags."),
    ("num", "Store medications at the front desk. Guests take their own medication at the "
            "desk; staff do not hand out doses."),
    ("num", "Assign a bed and a locker, and go over the house rules."),
    ("h1", "4. House Rules"),
    ("bullet", "Curfew is 10:30 pm. Lights out at 11:00 pm."),
    ("bullet", "Guests must leave the building by 7:30 am; the shelter is closed during the day."),
    ("bullet", "No weapons, alcohol, or illegal drugs on the premises."),
    ("bullet", "Smoking only in the marked area behind the building."),
    ("bullet", "Laundry is available on Tuesdays and Saturdays."),
    ("bullet", "Visitors are not allowed inside the dormitories."),
    ("p", "Being under the influence is not by itself a reason to refuse entry. A guest who "
          "appears intoxicated may be admitted if they can walk on their own and are not a "
          "danger to themselves or others."),
    ("h1", "5. Length of Stay"),
    ("p", "Guests may stay up to 30 consecutive nights. Before night 30, the guest meets "
          "with a case manager to make a housing plan; the case manager may extend the stay "
          "in blocks of 14 nights while the guest is working on that plan."),
    ("h1", "6. When We Cannot Admit Someone"),
    ("p", "If the shelter is full, staff must never simply turn a person away. Call the "
          "Marlow County Crisis Line at 555-0100 to ask about overflow beds, and offer a "
          "blanket and a bus token. From November to March, check whether a Code Blue "
          "warming site is open."),
    ("p", "A guest who is asked to leave for breaking a rule may return after 3 nights "
          "unless the incident involved violence. Guests may appeal any ban in writing to "
          "the Shelter Director within 7 days."),
    ("h1", "7. Emergencies"),
    ("p", "If a guest or anyone at the door has a medical emergency, call 911 first, then "
          "notify the shift supervisor. Naloxone kits are kept at the front desk and in the "
          "first aid cabinet in each dormitory. For a mental health crisis that is not "
          "life-threatening, call the Marlow County Crisis Line at 555-0100."),
    ("h1", "8. Contacts"),
    ("bullet", "Intake line: 555-0142 (4:00 pm to 10:00 pm)"),
    ("bullet", "Administrative office: 555-0143 (Monday to Friday, 9:00 am to 5:00 pm)"),
    ("bullet", "Shelter Director: Renata Okafor"),
]

# ---------------------------------------------------------------------------
# 2. Volunteer handbook (DOCX with a contacts table)
# ---------------------------------------------------------------------------
HANDBOOK = [
    ("title", "Marlow Outreach Partnership: Volunteer Handbook"),
    ("p", "2024 edition. Easton Community Center, 55 Park Avenue, Easton."),
    ("h1", "Welcome"),
    ("p", "Thank you for volunteering with the Marlow Outreach Partnership (MOP). We are a "
          "network of eleven member organisations in Easton and Riverbend that share "
          "volunteers, training, and a single street outreach schedule. This handbook covers "
          "what every volunteer needs to know before a first shift. Keep it in your bag."),
    ("h1", "Requirements"),
    ("bullet", "You must be at least 18 years old."),
    ("bullet", "Complete a background check (the Partnership pays the fee)."),
    ("bullet", "Attend the 3-hour orientation and shadow two shifts with an experienced volunteer."),
    ("bullet", "Commit to at least two shifts per month for six months."),
    ("h1", "Street Outreach Shifts"),
    ("p", "Outreach shifts run Monday, Wednesday and Friday from 6:00 pm to 9:00 pm, and "
          "Saturday from 10:00 am to 1:00 pm. Teams meet at the Easton Community Center to "
          "pick up supplies: water, snacks, socks, hygiene kits, naloxone, and resource cards."),
    ("p", "Always go out in pairs. Text the on-call supervisor when you leave the community "
          "center and again when your shift ends. If you have not checked out within 30 "
          "minutes of the end of a shift, the supervisor will call you."),
    ("h1", "Boundaries"),
    ("bullet", "Do not give people rides in your personal vehicle. Use Dial-A-Ride or a taxi "
               "voucher instead."),
    ("bullet", "Do not give cash. Offer gift cards from the supply closet if a need is urgent."),
    ("bullet", "Do not share your personal phone number or social media."),
    ("bullet", "Never promise a bed; say you will call to check."),
    ("h1", "Safety"),
    ("p", "If anyone is in immediate danger, call 911. Stay with the person if it is safe to "
          "do so, and then call the on-call supervisor."),
    ("p", "Fill out an incident report within 24 hours of any injury, threat, overdose, or "
          "call to police. Incident forms are in the blue binder at the front desk."),
    ("h1", "Expenses"),
    ("p", "Volunteers who drive to assigned sites are reimbursed 45 cents per mile. Submit "
          "mileage forms to the volunteer coordinator by the 5th of the following month. "
          "Email the volunteer coordinator at dana.whitfield@marlowoutreach.org."),
    ("h1", "Key Contacts"),
    ("table", [
        ["Contact", "Phone", "When to use"],
        ["Volunteer Coordinator (Dana Whitfield)", "555-0155", "Scheduling, training, expenses"],
        ["On-call Outreach Supervisor", "555-0157", "During every shift, 5 pm to midnight"],
        ["Marlow County Crisis Line", "555-0100", "24 hours; mental health crisis"],
        ["Harbor House Shelter intake", "555-0142", "Bed availability, 4 pm to 10 pm"],
        ["Safe Passage Network hotline", "555-0188", "Suspected trafficking, 24 hours"],
        ["Marlow Harm Reduction Collective", "555-0163", "Naloxone, syringe services"],
        ["Supply closet (Easton Community Center)", "Ask the coordinator", "Blankets, socks, hygiene kits"],
    ]),
    ("p", "This table was last checked in September 2024. Tell the coordinator if a number "
          "stops working."),
]

# ---------------------------------------------------------------------------
# 3. MHRC flyer (one-page PDF, two columns) -- OLD: hours/van differ from FAQ
# ---------------------------------------------------------------------------
FLYER = {
    "title": "MARLOW HARM REDUCTION COLLECTIVE",
    "tag": "Free | Confidential | No ID needed",
    "intro": ("Stay safer. Stay alive. We meet people where they are, with no judgment "
              "and no pressure. You do not have to stop using to get help from us."),
    "left_head": "WHAT WE OFFER",
    "left": [
        "Sterile syringes and supplies",
        "Naloxone (Narcan) and training",
        "Fentanyl test strips",
        "Safe sharps disposal",
        "HIV and hep C testing on the first Wednesday of the month",
        "Referrals to treatment, when you want it",
        "Wound care kits and hygiene supplies",
    ],
    "right_head": "WHERE AND WHEN",
    "right": [
        "Drop-in center:",
        "9 Canal Street, Easton",
        "Monday, Wednesday, Friday",
        "10 AM - 4 PM",
        "",
        "Mobile van in Riverbend:",
        "Thursdays 2 PM - 5 PM",
        "Ferry Road Park and Ride",
    ],
    "first_visit_head": "YOUR FIRST VISIT",
    "first_visit": ("Walk in during drop-in hours. A peer worker will say hello, give you a "
                    "participant code instead of asking your name, and show you where "
                    "everything is. A visit can take five minutes or an hour, whatever you "
                    "need. Bring back used needles in any hard plastic container and we will "
                    "dispose of them safely."),
    "od_head": "IF SOMEONE OVERDOSES",
    "od": ("Call 911. Give naloxone. Stay with the person. If they start breathing but are "
           "not awake, roll them onto their side. Naloxone wears off in 30 to 90 minutes, "
           "so someone needs to stay."),
    "good_head": "GOOD TO KNOW",
    "good": [
        "We never ask why you use or how much. Nobody has to give a real name.",
        "Staff do not share who comes here with police or landlords.",
        "Peer support group: Tuesdays at 5 PM at the drop-in center. Coffee provided.",
        "Need to talk to someone right now? Marlow County Crisis Line: 555-0100, any time, day or night.",
    ],
    "call": "Call or text: 555-0163",
    "volunteer": ("Want to help? We train new volunteers every season. Ask at the front desk or call the office to find out when the next training starts."),
    "printed": "Printed March 2022. Please share with friends.",
}

# ---------------------------------------------------------------------------
# 4. Winter response plan (multi-page PDF)
# ---------------------------------------------------------------------------
WINTER = [
    ("title", "Marlow County Winter Response Plan 2024-2025"),
    ("p", "Prepared by the Marlow Outreach Partnership and the Marlow Shelter Alliance. "
          "Effective November 1, 2024 through March 31, 2025."),
    ("h1", "1. Purpose"),
    ("p", "Every winter, people sleeping outside in Marlow County are at risk of "
          "hypothermia and frostbite. This plan sets out when extra warming sites open, "
          "who staffs them, and what outreach volunteers do on the coldest nights. It "
          "applies to all member organisations of the Marlow Outreach Partnership."),
    ("h1", "2. Code Blue Activation"),
    ("p", "A Code Blue is declared when the forecast low temperature, including wind chill, "
          "is 20 degrees Fahrenheit or colder."),
    ("p", "The Marlow County Office of Emergency Management declares Code Blue by 2:00 pm "
          "on the day it takes effect and posts it on the county website. Member "
          "organisations are notified by text message. Code Blue stays in effect each night "
          "until the forecast low rises above 20 degrees."),
    ("p", "Volunteers who are signed up for the Code Blue roster must reply to the text "
          "within one hour to confirm whether they can work that night."),
    ("h1", "3. Warming Sites"),
    ("h2", "3.1 Easton Warming Center"),
    ("p", "Location: Grace Methodist Church fellowship hall, 400 Church Street, Easton."),
    ("p", "Open 7:00 pm to 7:00 am on Code Blue nights. 40 cots."),
    ("p", "Site phone (Code Blue nights only): 555-0109."),
    ("p", "Pets are welcome if kept in a crate; crates are available at the site. No intake "
          "paperwork is needed beyond a first name. Hot soup is served at 9:00 pm."),
    ("h2", "3.2 Riverbend Warming Site"),
    ("p", "Location: St. Brigid's Parish Hall, 12 Quarry Lane, Riverbend."),
    ("p", "Open 8:00 pm to 7:00 am on Code Blue nights. 20 cots."),
    ("p", "St. Brigid's does not have a staffed phone line for the warming site. To check "
          "whether there is space, call the on-call outreach supervisor."),
    ("h2", "3.3 Harbor House on Code Blue nights"),
    ("p", "Harbor House adds 10 overflow mats in the dining room on Code Blue nights and "
          "accepts new guests until midnight instead of 10:00 pm. The 30-night limit does "
          "not count Code Blue overflow nights."),
    ("h2", "3.4 Daytime warming"),
    ("p", "The Riverbend Public Library, 30 Main Street, Riverbend, is open as a daytime "
          "warming space during regular library hours. Library staff are not case managers, "
          "so volunteers should not send people there for services."),
    ("h1", "4. Street Outreach During Code Blue"),
    ("p", "Extra outreach teams go out from 8:00 pm to 11:00 pm on every Code Blue night. "
          "Teams of two check known camps along the Marlow River Trail, under the Route 9 "
          "overpass, and behind the Easton bus depot."),
    ("p", "Each team carries blankets, hand warmers, wool socks, and at least two naloxone "
          "kits. Team leads pick up a charged phone from the Easton Community Center."),
    ("p", "Offer a ride to a warming site through Dial-A-Ride, which is free on Code Blue "
          "nights. Call 555-0150 before 10:00 pm to book a ride."),
    ("p", "If a person declines to come inside, respect their choice. Leave supplies, note "
          "the location, and check again within two hours."),
    ("h1", "5. Recognising Cold Emergencies"),
    ("p", "Early signs of hypothermia include shivering, confusion, slurred speech, clumsy "
          "movements, and drowsiness. As hypothermia gets worse, shivering may stop. A "
          "person who has stopped shivering but is still cold is in serious danger."),
    ("p", "Call 911 right away if a person is unresponsive, not breathing, cannot stand, or "
          "is very confused. While waiting, move them out of the wind if you can, cover "
          "them with blankets, and do not rub their skin. If they are not breathing and you "
          "are trained, begin CPR."),
    ("p", "Frostbite usually affects fingers, toes, ears, and the nose. Look for white or "
          "grayish-yellow skin, skin that feels hard or waxy, and numbness. Do not rub "
          "frostbitten skin or use a heater directly on it. Warm the area with body heat, "
          "for example by placing hands in the armpits, and encourage the person to go to "
          "a warming site or to the emergency room."),
    ("h1", "6. Reporting"),
    ("p", "Site leads report bed counts to the shared Code Blue spreadsheet by 9:00 pm and "
          "again at midnight. Outreach teams log each contact with the location and "
          "supplies given. Each morning after a Code Blue night, the Shelter Alliance sends "
          "a summary to all member organisations."),
    ("h1", "7. Contacts"),
    ("bullet", "Marlow County Crisis Line: 555-0100 (24 hours)"),
    ("bullet", "Easton Warming Center: 555-0109 (Code Blue nights only)"),
    ("bullet", "Dial-A-Ride: 555-0150"),
    ("bullet", "On-call outreach supervisor: 555-0157"),
    ("bullet", "Harbor House intake: 555-0142"),
]

# ---------------------------------------------------------------------------
# 5. Riverbend Community Clinic services page (HTML with nav + footer)
# ---------------------------------------------------------------------------
CLINIC_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Services | Riverbend Community Clinic</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/site.css">
<script src="/assets/analytics.js"></script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">Riverbend Community Clinic</a>
  <nav class="main-nav">
    <ul>
      <li><a href="/">Home</a></li>
      <li><a href="/about">About Us</a></li>
      <li><a href="/services" class="active">Services</a></li>
      <li><a href="/patients">Patients &amp; Visitors</a></li>
      <li><a href="/locations">Locations</a></li>
      <li><a href="/donate">Donate</a></li>
      <li><a href="/contact">Contact</a></li>
    </ul>
  </nav>
  <div class="utility">Call us: 555-0117 | <a href="/portal">Patient Portal</a> | <a href="/es">Espa&ntilde;ol</a></div>
</header>
<main>
<h1>Our Services</h1>
<p>Riverbend Community Clinic provides primary care and support services to everyone in Marlow County, whether or not you have insurance.</p>

<h2>Hours and Location</h2>
<p>48 Ferry Road, Riverbend</p>
<ul>
  <li>Monday to Friday: 8:30 am &ndash; 5:00 pm</li>
  <li>Saturday: 9:00 am &ndash; 12:00 pm</li>
  <li>Sunday: closed</li>
</ul>
<p>Walk-in hours: Tuesdays and Thursdays, 1:00 pm to 4:00 pm. No appointment needed.</p>
<p>To make an appointment, call 555-0117. After hours, our nurse advice line is 555-0118.</p>
<p>Free parking is behind the building. The entrance is wheelchair accessible.</p>

<h2>Primary Care</h2>
<p>Check-ups, care for chronic illnesses such as diabetes and high blood pressure, sick visits, and physicals for work or school.</p>

<h2>Testing</h2>
<p>Free, confidential HIV and hepatitis C testing. Rapid HIV results are ready in 20 minutes. We also offer STI testing and treatment.</p>

<h2>Wound Care</h2>
<p>Our nurses treat cuts, burns, abscesses, and foot problems. Wound care is available without an appointment during walk-in hours.</p>

<h2>Behavioral Health</h2>
<p>Short-term counseling with a licensed counselor. Ask your primary care provider for a referral, or call to schedule.</p>

<h2>Substance Use Treatment</h2>
<p>We offer buprenorphine (Suboxone) treatment for opioid use disorder. Same-day starts are often possible on weekdays.</p>

<h2>Pharmacy</h2>
<p>Our on-site pharmacy is open Monday to Friday, 9:00 am to 4:30 pm. Prescription assistance is available for patients who cannot afford their medicines.</p>

<h2>Costs and Insurance</h2>
<p>We accept Medicaid, Medicare, and most private insurance. If you do not have insurance, you pay on a sliding scale based on household income and size. Visit fees range from $0 to $40. No one is turned away because they cannot pay.</p>
<p>Please bring a photo ID and proof of income if you have them. They are not required to be seen.</p>

<h2>Language Help</h2>
<p>Free interpreters are available by phone in more than 100 languages. American Sign Language interpreters can be scheduled with 48 hours' notice.</p>

<h2>In an Emergency</h2>
<p>If you are having a medical emergency, call 911 or go to the nearest emergency room. The clinic is not an emergency room.</p>
</main>
<footer class="site-footer">
  <p>Riverbend Community Clinic is a program of Marlow Health Partners, a nonprofit community health center.</p>
  <p><a href="/privacy">Privacy Policy</a> | <a href="/nondiscrimination">Notice of Nondiscrimination</a> | <a href="/careers">Careers</a> | <a href="/sitemap">Site Map</a></p>
  <p>Follow us on Facebook and Instagram. Main line: 555-0117</p>
  <p>&copy; 2024 Marlow Health Partners. All rights reserved.</p>
</footer>
</body>
</html>
"""

# ---------------------------------------------------------------------------
# 6. MHRC FAQ page (HTML, question headings) -- CURRENT, updated Sept 2024
# ---------------------------------------------------------------------------
FAQ_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>FAQ - Marlow Harm Reduction Collective</title>
<style>body{font-family:sans-serif} .faq h3{color:#135}</style>
</head>
<body>
<div id="top-bar"><a href="#main">Skip to content</a></div>
<nav>
  <a href="/">Home</a> | <a href="/about">About</a> | <a href="/services">Services</a> |
  <a href="/faq">FAQ</a> | <a href="/naloxone">Get Naloxone</a> | <a href="/volunteer">Volunteer</a> |
  <a href="/donate">Donate</a>
</nav>
<main id="main" class="faq">
<h1>Frequently Asked Questions</h1>
<p class="updated">Last updated September 2024</p>

<h3>Where are you and when are you open?</h3>
<p>Our drop-in center is at 9 Canal Street, Easton, on the ground floor behind the blue door. We are open Monday through Friday, 11 am to 6 pm. We are closed on weekends and on major holidays.</p>

<h3>Do I need to give my name or show ID?</h3>
<p>No. We don't ask for your name or ID. The first time you visit, we give you a participant code so we can keep track of supplies without knowing who you are.</p>

<h3>Do you share information with the police?</h3>
<p>No. We do not share participant information with law enforcement. Our staff will not call the police because of drug use.</p>

<h3>How old do I have to be?</h3>
<p>You must be 18 or older to receive syringes. Naloxone and fentanyl test strips are available to anyone 14 or older, no questions asked.</p>

<h3>How much does it cost?</h3>
<p>Everything we offer is free.</p>

<h3>Can I get naloxone for a family member?</h3>
<p>Yes. Anyone can pick up free naloxone at the drop-in center or the van. The training takes about 10 minutes and covers how to recognize an overdose and how to give nasal naloxone.</p>

<h3>Is there a limit on supplies?</h3>
<p>We follow a needs-based model, so there is no fixed limit on syringes. Fentanyl test strips are limited to 10 per visit while supplies are low.</p>

<h3>Where can I get rid of used needles?</h3>
<p>Bring used syringes in any hard plastic container to the drop-in center. There is also a sharps disposal kiosk outside 9 Canal Street that is open 24 hours a day.</p>

<h3>Does the van come to Riverbend?</h3>
<p>Yes. Our mobile van parks in the Riverbend Public Library parking lot on Tuesdays and Thursdays, 3 pm to 7 pm. You can call or text the van at 555-0164 to find out if it is running late.</p>

<h3>What should I do if someone is overdosing?</h3>
<p>Call 911. Give naloxone, start rescue breathing if you are trained, and stay with the person. If you must leave, put them in the recovery position on their side. Our state's Good Samaritan law protects you and the person overdosing from arrest for drug possession when you call 911 for help.</p>

<h3>Do you offer testing?</h3>
<p>Free HIV and hepatitis C testing is available on the first and third Wednesday of each month, 12 pm to 4 pm. Results are ready in about 20 minutes.</p>

<h3>Can you help me get into treatment?</h3>
<p>Yes, when you are ready. We can make a warm referral to Riverbend Community Clinic for buprenorphine or to Hope Street Recovery Center for detox. Our peer navigators can go with you to the first appointment.</p>

<h3>How can I volunteer?</h3>
<p>Volunteers must be 18 or older and complete our 4-hour harm reduction training. Email volunteer@marlowharmreduction.org to sign up.</p>
</main>
<footer>
  <p>Marlow Harm Reduction Collective | 9 Canal Street, Easton | Office: 555-0163</p>
  <p>This website does not provide medical advice. &copy; 2024 MHRC.</p>
  <p><a href="/">Home</a> | <a href="/privacy">Privacy</a> | <a href="/contact">Contact</a></p>
</footer>
</body>
</html>
"""

# ---------------------------------------------------------------------------
# 7. Meeting notes (Markdown) -- says clinic drops Saturday hours (contradicts site)
# ---------------------------------------------------------------------------
NOTES_MD = """# Outreach Coordination Meeting - Notes

**Date:** October 17, 2024, 2:00-3:30 pm
**Location:** Easton Community Center, Room B
**Attendees:** Dana Whitfield (MOP), Renata Okafor (Harbor House), Luis Ferreira (MHRC), Priya Nair (Riverbend Community Clinic), Sam Boateng (Safe Passage Network), Joan Miller (Easton Food Pantry)
**Notes:** Dana W.

## Updates from members

### Harbor House
- Full on 9 nights in September; 23 people referred to overflow.
- New case manager starts November 4 and will do intake follow-ups Monday to Thursday.
- Reminder from Renata: intake closes at 10 pm sharp. Please don't walk people over at 10:15.

### Riverbend Community Clinic
- Priya: the clinic is **dropping Saturday morning hours** starting November 2 because of staffing. The website has not been updated yet.
- Walk-in hours are unchanged (Tuesday and Thursday afternoons).

### MHRC
- Luis: the van now stops in Riverbend twice a week (Tuesday and Thursday) at the library lot. Old flyers still say Park and Ride, so please recycle old flyers.
- Received 600 naloxone kits from the state grant. Any member org can request a box.

### Safe Passage Network
- Sam: next volunteer training is Nov 9 in Easton. Need 4 more sign-ups.
- Reminder: if a minor discloses exploitation, it is a mandated report (see the training outline).

### Easton Food Pantry
- Joan: holiday basket sign-up opens November 1. Families must sign up in person at the pantry.
- The Easton Laundry Project will start free Wednesday laundry nights in December at the Suds City laundromat. They do not have a phone line yet; contact them through Joan.

## Winter planning
- Final draft of the Winter Response Plan circulated; takes effect November 1.
- St. Brigid's Parish Hall confirmed as the Riverbend warming site. Still need 2 volunteers per night there.
- Code Blue roster sign-up sheet is on the shared drive.

## Action items
- [ ] Dana: update the contacts table in the volunteer handbook by Nov 1.
- [ ] Luis: send the new MHRC flyer PDF to all members.
- [ ] Priya: ask the web team to fix the Saturday hours on the clinic site.
- [ ] Sam: send the training flyer and sign-up link.

## Next meeting
November 21, 2024, 2:00 pm, Easton Community Center, Room B.
"""

# ---------------------------------------------------------------------------
# 8. Safe Passage training outline (Markdown, ## headings + bullets)
# ---------------------------------------------------------------------------
TRAINING_MD = """# Safe Passage Network - Volunteer Training Outline

Safe Passage Network supports survivors of labor and sex trafficking in Marlow County. This outline is for the one-day volunteer training. Hotline: 555-0188 (24 hours, confidential).

**Next training:** Saturday, November 9, 2024, 9:00 am to 3:30 pm, Easton Community Center, Room B. Lunch is provided.

## Module 1: What trafficking is (45 min)

- Trafficking means using force, fraud, or coercion to make someone work or perform commercial sex.
- Any person under 18 who is involved in commercial sex is a trafficking victim, whether or not force was used.
- Trafficking does not require moving someone across a border or even out of town.

## Module 2: Recognizing indicators (60 min)

- Someone else holds their ID or passport.
- They owe a debt to an employer that keeps growing.
- They are not allowed to speak for themselves, or their answers seem coached.
- They live where they work, or are moved often between motels.
- Branding tattoos or untreated injuries.
- They cannot leave a job, or someone controls their phone.

## Module 3: Responding safely (60 min)

- Never confront a suspected trafficker.
- Do not try to rescue anyone yourself.
- Talk with the person alone only if you can do so safely.
- Let the person lead. Survivors decide what happens next.
- If anyone is in immediate danger, call 911.
- Otherwise, call the Safe Passage hotline at 555-0188 and a staff advocate will guide you.

## Module 4: Mandated reporting (30 min)

- Volunteers must report suspected exploitation of anyone under 18 to Marlow County Child Protective Services the same day, and tell the Safe Passage staff advocate.
- Adults are not reported without their consent unless there is immediate danger.

## Module 5: Services for survivors (45 min)

- Emergency hotel stays of up to 5 nights, paid for by Safe Passage.
- Help with T visas and vacating convictions through Riverbend Legal Aid.
- Case management for up to 12 months.
- Staff advocates speak Spanish, Portuguese, and Haitian Creole; other languages by phone interpreter.

## Module 6: Self-care and debrief (30 min)

- Vicarious trauma is normal. Debrief with a staff advocate after any hard call.
- You can step back from a shift at any time.

## Certification

- Attend all six modules.
- Shadow two hotline shifts with a staff advocate.
- Sign the confidentiality agreement.
- Volunteers must be 21 or older to take hotline shifts.
"""

# ---------------------------------------------------------------------------
# 9. Resource directory (CSV)
# ---------------------------------------------------------------------------
CSV_ROWS = [
    ["organisation", "service", "phone", "hours", "town", "address", "cost", "notes"],
    ["Harbor House Shelter", "Emergency overnight shelter (adults 18+)", "555-0142", "Intake 4 pm-10 pm daily", "Easton", "212 Mill Street", "Free", "38 beds; call for availability"],
    ["Marlow County Crisis Line", "Crisis counseling and referrals", "555-0100", "24 hours", "Countywide", "", "Free", "Text line 555-0199"],
    ["Riverbend Community Clinic", "Primary care; HIV/hep C testing; buprenorphine", "555-0117", "Mon-Fri 8:30 am-5 pm; Sat 9 am-12 pm", "Riverbend", "48 Ferry Road", "Sliding scale $0-$40", "Walk-ins Tue/Thu 1-4 pm"],
    ["Marlow Harm Reduction Collective", "Syringe services; naloxone; test strips", "555-0163", "Mon-Fri 11 am-6 pm", "Easton", "9 Canal Street", "Free", "Van in Riverbend Tue/Thu 3-7 pm"],
    ["Safe Passage Network", "Anti-trafficking hotline and case management", "555-0188", "24 hours", "Riverbend", "301 Bridge Street (office, by appointment)", "Free", "Confidential"],
    ["Easton Food Pantry", "Groceries", "555-0131", "Tue & Thu 10 am-2 pm; Sat 9 am-11 am", "Easton", "77 Orchard Avenue", "Free", "One visit per week; bring proof of Marlow County address"],
    ["Riverbend Legal Aid", "Eviction defense; protective orders; benefits appeals", "555-0125", "Mon-Thu 9 am-4 pm", "Riverbend", "16 Court Street", "Free if income under 200% of poverty level", "Call for intake screening"],
    ["Hope Street Recovery Center", "Medical detox and residential treatment", "555-0137", "24/7 admissions", "Riverbend", "220 Hope Street", "Medicaid accepted", "Bring medications in original bottles"],
    ["Riverbend Youth Drop-In Center", "Meals, showers, case management (ages 14-24)", "555-0176", "Mon-Sat 2 pm-9 pm", "Riverbend", "15 Elm Street", "Free", "Hot dinner at 6 pm"],
    ["Marlow County Transit Dial-A-Ride", "Door-to-door rides", "555-0150", "Mon-Sat 6 am-10 pm", "Countywide", "", "$2 per ride", "Book at least 24 hours ahead; free on Code Blue nights"],
    ["Easton Warming Center", "Code Blue overnight warming site", "555-0109", "7 pm-7 am on Code Blue nights", "Easton", "400 Church Street (Grace Methodist Church)", "Free", "November to March only"],
    ["Marlow County Housing Authority", "Housing vouchers", "555-0120", "Mon-Fri 8 am-4:30 pm", "Easton", "1 Government Plaza", "Free", "Waitlist currently closed"],
    ["Marlow Outreach Partnership", "Volunteer coordination", "555-0155", "Mon-Fri 9 am-5 pm", "Easton", "55 Park Avenue (Easton Community Center)", "", "Ask for Dana Whitfield"],
    ["Easton Clothing Closet", "Free clothing and shoes", "555-0134", "Wed 4 pm-7 pm", "Easton", "55 Park Avenue (basement)", "Free", "Winter coats from November"],
    ["Riverbend Senior Services", "Meals on wheels; benefits help (60+)", "555-0129", "Mon-Fri 8:30 am-4 pm", "Riverbend", "90 Main Street", "Donation suggested", ""],
    ["Marlow Veterans Outreach", "VA benefits help; emergency funds for veterans", "555-0112", "Tue-Fri 10 am-3 pm", "Easton", "14 Liberty Street", "Free", "Bring DD-214 if you have it"],
]

# ---------------------------------------------------------------------------
# 10. Crisis line shift notes (plain text)
# ---------------------------------------------------------------------------
SHIFT_TXT = """MARLOW COUNTY CRISIS LINE - PHONE VOLUNTEER QUICK REFERENCE
Keep this sheet by the phone. Updated August 2024.

MAIN NUMBERS
Voice line: 555-0100 (24 hours)
Text line: 555-0199. The text line is staffed from 10 am to midnight. Texts that come in
outside those hours get an auto-reply with the voice number.

SHIFTS
Day shift: 8 am to 2 pm
Afternoon shift: 2 pm to 8 pm
Overnight shift: 8 pm to 8 am. Overnight shifts always have two volunteers on.

ANSWERING
Say: "Marlow County Crisis Line, this is (your first name). What's going on?"
Let the caller talk. Do not rush to fix things.

IMMEDIATE DANGER
If a caller says they are in immediate danger, or you hear violence on the line, call 911
from the second desk phone and keep the caller on the line. Tell the dispatcher the
caller's location if you have it. Do not hang up on the caller.

SUICIDE RISK
Ask directly: "Are you thinking about killing yourself?" Asking does not put the idea in
someone's head. If the caller has a plan and the means, get the shift supervisor on the line.

The Marlow Mobile Crisis Team can go to a caller's location in Easton or Riverbend between
7 am and 11 pm. Volunteers request the team through the shift supervisor.

WARM TRANSFERS
Harbor House intake: 555-0142 (4 pm - 10 pm)
Safe Passage Network: 555-0188 (trafficking, 24 hours)
Hope Street Recovery Center: 555-0137 (detox, 24/7)
Riverbend Community Clinic nurse line: 555-0118 (after hours)

INTERPRETERS
Language line: call 555-0190 and enter access code 4471. Conference the interpreter in
before you say anything about the caller.

CONFIDENTIALITY
Never give out a caller's information, even to police, without a supervisor's approval,
unless there is an immediate danger to someone's life.

LOGGING
Log every call on the call sheet before taking the next one. Use first names or
"anonymous" only. Never write down a caller's full name or address unless 911 was called.

BREAKS AND HAND-OFF
You may take a 10-minute break after a difficult call; tell the other volunteer first.
At the end of your shift, hand off any callbacks to the next volunteer in writing.
"""


# ===========================================================================
# Writers
# ===========================================================================
def blocks_to_text(blocks):
    out = []
    n = 0
    for kind, val in blocks:
        if kind == "table":
            for row in val:
                out.append("\t".join(row))
            continue
        if kind == "num":
            n += 1
            out.append(f"{n}. {val}")
            continue
        n = 0
        out.append(("- " if kind == "bullet" else "") + val)
    return "\n".join(out) + "\n"


def write_docx(blocks, path):
    import docx
    from docx.shared import Pt
    d = docx.Document()
    d.core_properties.author = "Marlow Outreach Partnership"
    for kind, val in blocks:
        if kind == "title":
            d.add_heading(val, level=0)
        elif kind == "h1":
            d.add_heading(val, level=1)
        elif kind == "h2":
            d.add_heading(val, level=2)
        elif kind == "p":
            d.add_paragraph(val)
        elif kind == "bullet":
            d.add_paragraph(val, style="List Bullet")
        elif kind == "num":
            d.add_paragraph(val, style="List Number")
        elif kind == "table":
            t = d.add_table(rows=len(val), cols=len(val[0]))
            t.style = "Table Grid"
            for i, row in enumerate(val):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = cell
                    if i == 0:
                        for r in t.cell(i, j).paragraphs[0].runs:
                            r.bold = True
    d.save(path)


def _pdf():
    from fpdf import FPDF
    return FPDF


def write_winter_pdf(blocks, path):
    FPDF = _pdf()

    class P(FPDF):
        def header(self):
            self.set_font("Helvetica", "I", 8)
            self.set_text_color(110)
            self.cell(0, 6, "Marlow Outreach Partnership | Marlow Shelter Alliance",
                      new_x="LMARGIN", new_y="NEXT", align="R")
            self.set_text_color(0)
            self.ln(2)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", "I", 8)
            self.set_text_color(110)
            self.cell(0, 10, f"Winter Response Plan 2024-2025 | Page {self.page_no()} of {{nb}}",
                      align="C")
            self.set_text_color(0)

    pdf = P(format="Letter")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    for kind, val in blocks:
        if kind == "title":
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(0, 9, val, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "h1":
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, val, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "h2":
            pdf.ln(1)
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, val, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(0, 5.5, val, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif kind == "bullet":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(0, 5.5, "- " + val, new_x="LMARGIN", new_y="NEXT")
    pdf.output(path)


def write_flyer_pdf(f, path):
    FPDF = _pdf()
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    W = pdf.w
    # banner
    pdf.set_fill_color(20, 60, 110)
    pdf.rect(0, 0, W, 38, style="F")
    pdf.set_text_color(255)
    pdf.set_xy(12, 9)
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(W - 24, 11, f["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(12)
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(W - 24, 8, f["tag"], align="C")
    pdf.set_text_color(0)
    # intro
    pdf.set_xy(18, 46)
    pdf.set_font("Helvetica", "I", 12)
    pdf.multi_cell(W - 36, 6.5, f["intro"], align="C")
    # two columns
    top = pdf.get_y() + 6
    colw = (W - 36 - 10) / 2
    lx, rx = 18, 18 + colw + 10
    pdf.set_xy(lx, top)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(colw, 8, f["left_head"], new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11.5)
    for item in f["left"]:
        pdf.set_x(lx)
        pdf.multi_cell(colw, 6.2, "* " + item, new_x="LEFT", new_y="NEXT")
    lbottom = pdf.get_y()
    pdf.set_xy(rx, top)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(colw, 8, f["right_head"], new_x="LEFT", new_y="NEXT")
    for line in f["right"]:
        pdf.set_x(rx)
        bold = line.endswith(":")
        pdf.set_font("Helvetica", "B" if bold else "", 11.5)
        pdf.cell(colw, 6.2, line, new_x="LEFT", new_y="NEXT")
    y = max(lbottom, pdf.get_y()) + 6
    pdf.set_draw_color(20, 60, 110)
    pdf.line(18, y, W - 18, y)
    y += 4
    for head, body in (("first_visit_head", "first_visit"), ("od_head", "od")):
        pdf.set_xy(18, y)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(W - 36, 7, f[head], new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(18)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(W - 36, 5.8, f[body], new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 4
    pdf.set_xy(18, y)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(W - 36, 7, f["good_head"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for item in f["good"]:
        pdf.set_x(18)
        pdf.multi_cell(W - 36, 5.8, "* " + item, new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 3
    # call box
    pdf.set_xy(40, y + 2)
    pdf.set_fill_color(255, 210, 60)
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(W - 80, 14, f["call"], align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(18, pdf.get_y() + 5)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(W - 36, 5.8, f["volunteer"], align="C", new_x="LMARGIN", new_y="NEXT")
    assert pdf.get_y() < pdf.h - 22, "flyer overflows the page"
    pdf.set_xy(18, pdf.h - 18)
    pdf.set_font("Helvetica", "I", 8)
    pdf.cell(W - 36, 5, f["printed"], align="C")
    pdf.output(path)
    assert pdf.page_no() == 1


def flyer_text(f):
    parts = [f["title"], f["tag"], f["intro"], f["left_head"]]
    parts += ["* " + x for x in f["left"]]
    parts += [f["right_head"]] + [x for x in f["right"] if x]
    parts += [f["first_visit_head"], f["first_visit"], f["od_head"], f["od"],
              f["good_head"]] + ["* " + x for x in f["good"]] + [f["call"], f["volunteer"], f["printed"]]
    return "\n".join(parts) + "\n"


class _Text(HTMLParser):
    SKIP = {"script", "style", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        if tag in ("p", "li", "h1", "h2", "h3", "div", "br", "tr", "nav", "footer"):
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_text(src):
    p = _Text()
    p.feed(src)
    txt = "".join(p.out)
    return re.sub(r"[ \t]*\n\s*", "\n", txt).strip() + "\n"


def build():
    # DOCX
    write_docx(HARBOR, os.path.join(DOCS, "harbor_house_intake_policy.docx"))
    SOURCE["harbor_house_intake_policy"] = blocks_to_text(HARBOR)
    write_docx(HANDBOOK, os.path.join(DOCS, "volunteer_handbook.docx"))
    SOURCE["volunteer_handbook"] = blocks_to_text(HANDBOOK)
    # PDF
    write_flyer_pdf(FLYER, os.path.join(DOCS, "mhrc_flyer_2022.pdf"))
    SOURCE["mhrc_flyer_2022"] = flyer_text(FLYER)
    write_winter_pdf(WINTER, os.path.join(DOCS, "winter_response_plan.pdf"))
    SOURCE["winter_response_plan"] = blocks_to_text(WINTER)
    # HTML
    for stem, src in (("riverbend_clinic_services", CLINIC_HTML), ("mhrc_faq", FAQ_HTML)):
        with open(os.path.join(DOCS, stem + ".html"), "w", encoding="utf-8") as fh:
            fh.write(src)
        SOURCE[stem] = html_text(src)
    # Markdown
    for stem, src in (("outreach_meeting_notes_2024-10-17", NOTES_MD),
                      ("safe_passage_training_outline", TRAINING_MD)):
        with open(os.path.join(DOCS, stem + ".md"), "w", encoding="utf-8") as fh:
            fh.write(src)
        SOURCE[stem] = src
    # CSV
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(CSV_ROWS)
    with open(os.path.join(DOCS, "resource_directory.csv"), "w", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())
    SOURCE["resource_directory"] = buf.getvalue()
    # TXT
    with open(os.path.join(DOCS, "crisis_line_shift_notes.txt"), "w", encoding="utf-8") as fh:
        fh.write(SHIFT_TXT)
    SOURCE["crisis_line_shift_notes"] = SHIFT_TXT


# ===========================================================================
# Questions
# ===========================================================================
Q = []


def q(kind, text, doc, expect, **kw):
    d = {"id": f"u{len(Q) + 1:03d}", "q": text, "doc": doc, "expect": expect, "kind": kind}
    d.update(kw)
    Q.append(d)


# ---- lookup --------------------------------------------------------------
q("lookup", "easton shelter hours", "any", ["4:00 pm", "4 pm"],
  note="Harbor House intake 4-10 pm (intake policy, CSV, handbook table, shift notes). Easton Warming Center 7 pm-7 am on Code Blue nights is a fair extra, not a substitute.")
q("lookup", "whats the address for the riverbend clinic", "riverbend_clinic_services",
  ["48 Ferry Road"], also=["resource_directory"])
q("lookup", "how much does it cost to see a doctor at the clinic if i dont have insurance",
  "riverbend_clinic_services", ["$0 to $40", "sliding scale"], also=["resource_directory"])
q("lookup", "harbour house curfew?", "harbor_house_intake_policy", ["10:30 pm"])
q("lookup", "how old do you have to be to get syringes from the harm reduction place",
  "mhrc_faq", ["18 or older"])
q("lookup", "when is the clinic pharmacy open", "riverbend_clinic_services",
  ["9:00 am to 4:30 pm"])
q("lookup", "what temperature does code blue get called at", "winter_response_plan",
  ["20 degrees"])
q("lookup", "where is the riverbend warming site", "winter_response_plan",
  ["12 Quarry Lane", "St. Brigid's Parish Hall"], also=["outreach_meeting_notes_2024-10-17"])
q("lookup", "what time does the easton warming center open on code blue nights",
  "winter_response_plan", ["7:00 pm", "7 pm"], also=["resource_directory"])
q("lookup", "minimum age for safe passage hotline shifts", "safe_passage_training_outline",
  ["21 or older"])
q("lookup", "mhrc drop in hours", "mhrc_faq", ["11 am to 6 pm", "11 am-6 pm"],
  also=["resource_directory"],
  note="CONFLICT: the 2022 flyer says Monday, Wednesday, Friday 10 AM - 4 PM (outdated). "
       "Best answer gives Mon-Fri 11 am to 6 pm or flags the conflict; flyer-only is stale.")
q("lookup", "is the riverbend clinic open on saturdays", "any",
  ["dropping Saturday", "12:00 pm", "Sat 9 am-12 pm"],
  note="CONFLICT: clinic page and CSV say Saturday 9:00 am-12:00 pm; Oct 17 2024 meeting notes "
       "say Saturday hours are dropped from November 2 and the website is out of date. Best "
       "answer mentions the change.")

# ---- phone ---------------------------------------------------------------
q("phone", "number for harbor house intake", "harbor_house_intake_policy", ["555-0142"],
  org="Harbor House Shelter", also=["volunteer_handbook", "resource_directory",
                                    "winter_response_plan", "crisis_line_shift_notes"])
q("phone", "crisis line number", "any", ["555-0100"], org="Marlow County Crisis Line")
q("phone", "phone for legal aid in riverbend", "resource_directory", ["555-0125"],
  org="Riverbend Legal Aid")
q("phone", "safe passage hotline #", "safe_passage_training_outline", ["555-0188"],
  org="Safe Passage Network", also=["volunteer_handbook", "resource_directory",
                                     "crisis_line_shift_notes"])
q("phone", "how do i reach the mhrc van to see if its late", "mhrc_faq", ["555-0164"],
  org="Marlow Harm Reduction Collective (mobile van)")
q("phone", "clinc nurse line after hours", "riverbend_clinic_services", ["555-0118"],
  org="Riverbend Community Clinic nurse advice line", also=["crisis_line_shift_notes"])

# ---- phone-missing -------------------------------------------------------
q("phone-missing", "phone number for st brigids warming site", "winter_response_plan",
  ["does not have a staffed phone line"], org="St. Brigid's Parish Hall (Riverbend warming site)",
  note="Plan says to call the on-call outreach supervisor instead (555-0157 is in the plan's "
       "contacts list and the handbook).")
q("phone-missing", "whats the number for child protective services, i need to report something about a 15 yr old",
  "safe_passage_training_outline", ["Marlow County Child Protective Services"],
  org="Marlow County Child Protective Services")
q("phone-missing", "number for the mobile crisis team", "crisis_line_shift_notes",
  ["through the shift supervisor", "Marlow Mobile Crisis Team"], org="Marlow Mobile Crisis Team")

# ---- paraphrase ----------------------------------------------------------
q("paraphrase", "guy keeps showing up drunk at the shelter, can we still let him in for the night",
  "harbor_house_intake_policy", ["not a danger to themselves or others", "may be admitted"])
q("paraphrase", "my client got kicked out of harbor house last week, is there any way she can fight it",
  "harbor_house_intake_policy", ["within 7 days", "appeal any ban"])
q("paraphrase", "will the needle exchange rat people out to the cops",
  "mhrc_faq", ["do not share participant information"])
q("paraphrase", "can i grab narcan for my bro who uses", "mhrc_faq",
  ["Anyone can pick up free naloxone"])
q("paraphrase", "patient only speaks vietnamese, can the clinic get someone to translate",
  "riverbend_clinic_services", ["more than 100 languages"])
q("paraphrase", "someone sleeping outside tonight says no to going to the warming center, what are we supposed to do",
  "winter_response_plan", ["respect their choice", "within two hours"])
q("paraphrase", "am i allowed to drive someone to the shelter in my own car", "volunteer_handbook",
  ["Do not give people rides"])
q("paraphrase", "how do i get paid back for gas when i drive for outreach", "volunteer_handbook",
  ["45 cents per mile"])
q("paraphrase", "how can you tell if someone is being trafficed", "safe_passage_training_outline",
  ["holds their ID or passport", "owe a debt"])
q("paraphrase", "the shelter has no beds left and theres a woman at the door, what now",
  "harbor_house_intake_policy", ["never simply turn a person away", "overflow beds"])
q("paraphrase", "man at the camp has hard white fingers after the night, should i rub them to warm up",
  "winter_response_plan", ["Do not rub", "body heat"])

# ---- table ---------------------------------------------------------------
q("table", "who do i call during an outreach shift if something goes wrong", "volunteer_handbook",
  ["555-0157"], also=["winter_response_plan"], note="Key Contacts table (On-call Outreach Supervisor).")
q("table", "food pantry hours", "resource_directory", ["10 am-2 pm", "Tue & Thu"])
q("table", "what does dial a ride cost", "resource_directory", ["$2 per ride"],
  note="Free on Code Blue nights (CSV notes and winter plan); $2 otherwise.")
q("table", "is the housing authority waitlist open right now", "resource_directory",
  ["Waitlist currently closed"])
q("table", "what ages does the riverbend youth drop in take", "resource_directory",
  ["ages 14-24"])
q("table", "what do vets need to bring to veterans outreach", "resource_directory",
  ["DD-214"])

# ---- danger --------------------------------------------------------------
q("danger", "caller says her ex is outside her door right now with a knife what do i do",
  "any", ["911"])
q("danger", "found a guy by the river trail, wont wake up and barely breathing, its freezing out",
  "any", ["911"])
q("danger", "my friend took something and hes turning blue and not answering me", "any", ["911"])
q("danger", "girl at the motel says shes 16 and they wont let her leave, he's coming back soon",
  "any", ["911"])

# ---- unanswerable --------------------------------------------------------
q("unanswerable", "does harbor house allow dogs", "none", [],
  missing="Harbor House pet policy (only the Easton Warming Center's crate rule is in the documents)")
q("unanswerable", "food pantry in riverbend hours?", "none", [],
  missing="a food pantry in Riverbend (the only pantry listed is in Easton)")
q("unanswerable", "is there a homeless shelter in lakeside", "none", [],
  missing="the town of Lakeside is not covered")
q("unanswerable", "does the riverbend clinic do dental cleanings", "none", [],
  missing="dental services")
q("unanswerable", "what time does the riverbend library close", "none", [],
  missing="library opening hours (only 'during regular library hours')")
q("unanswerable", "does hope street take people who are on methadone", "none", [],
  missing="Hope Street methadone policy")
q("unanswerable", "easton police non emergency number", "none", [],
  missing="any police phone number")
q("unanswerable", "can i get a flu shot at the clinic", "none", [],
  missing="vaccinations / flu shots")
q("unanswerable", "which bus route goes to the clinic on ferry road", "none", [],
  missing="bus routes (only Dial-A-Ride and parking are mentioned)")
q("unanswerable", "how does someone get a replacement birth certificate", "none", [],
  missing="birth certificate / vital records process")

# Terms that must NOT occur anywhere, so the unanswerable ones stay unanswerable.
ABSENT = {
    "does harbor house allow dogs": [r"\bdogs?\b", r"\banimal"],
    "food pantry in riverbend hours?": [r"Riverbend Food", r"pantry.{0,40}Riverbend"],
    "is there a homeless shelter in lakeside": [r"Lakeside"],
    "does the riverbend clinic do dental cleanings": [r"dental", r"dentist", r"teeth"],
    "what time does the riverbend library close": [r"[Ll]ibrary (is )?(open|close|hours).{0,30}\d"],
    "does hope street take people who are on methadone": [r"methadone"],
    "easton police non emergency number": [r"[Pp]olice.{0,40}555", r"non-?emergency"],
    "can i get a flu shot at the clinic": [r"\bflu\b", r"vaccin", r"immuniz", r"shots?\b"],
    "which bus route goes to the clinic on ferry road": [r"[Rr]oute \d+ bus", r"bus route", r"bus (line|number)"],
    "how does someone get a replacement birth certificate": [r"birth certificate", r"vital records"],
}
# Harbor House policy itself must say nothing about pets.
ABSENT_IN_DOC = {"harbor_house_intake_policy": [r"\bpets?\b"]}


# ===========================================================================
# Validation
# ===========================================================================
def extracted_texts():
    """Text pulled back out of the generated files (best effort, for a second check)."""
    out = {}
    try:
        from pypdf import PdfReader
        for stem in ("mhrc_flyer_2022", "winter_response_plan"):
            r = PdfReader(os.path.join(DOCS, stem + ".pdf"))
            out[stem] = "\n".join(p.extract_text() for p in r.pages)
            out[stem + "#pages"] = len(r.pages)
    except ImportError:
        print("  (pypdf not installed: skipping PDF extraction check)")
    import docx
    for stem in ("harbor_house_intake_policy", "volunteer_handbook"):
        d = docx.Document(os.path.join(DOCS, stem + ".docx"))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.append("\t".join(c.text for c in row.cells))
        out[stem] = "\n".join(parts)
    for stem in ("riverbend_clinic_services", "mhrc_faq"):
        out[stem] = html_text(open(os.path.join(DOCS, stem + ".html"), encoding="utf-8").read())
    return out


def validate():
    problems = []
    # JSON round trip
    path = os.path.join(HERE, "questions.jsonl")
    with open(path, encoding="utf-8") as fh:
        lines = [json.loads(l) for l in fh if l.strip()]
    assert len(lines) == len(Q)
    ids = [x["id"] for x in lines]
    assert len(set(ids)) == len(ids)
    ex = extracted_texts()
    if "winter_response_plan#pages" in ex:
        print(f"  winter_response_plan.pdf pages: {ex['winter_response_plan#pages']}; "
              f"flyer pages: {ex['mhrc_flyer_2022#pages']}")
    for item in Q:  # the written lines carry slugged ids; SOURCE is keyed by file stem
        for key in ("id", "q", "doc", "expect", "kind"):
            if key not in item:
                problems.append(f"{item.get('id')}: missing {key}")
        kind, doc = item["kind"], item["doc"]
        if kind in ("phone", "phone-missing") and "org" not in item:
            problems.append(f"{item['id']}: no org")
        if kind == "unanswerable":
            if doc != "none" or item["expect"] or "missing" not in item:
                problems.append(f"{item['id']}: bad unanswerable")
            for pat in ABSENT.get(item["q"], []):
                for stem, txt in SOURCE.items():
                    m = re.search(pat, txt, re.S)
                    if m:
                        problems.append(f"{item['id']}: '{m.group(0)}' found in {stem}")
            if item["q"] not in ABSENT:
                problems.append(f"{item['id']}: no ABSENT terms")
            continue
        if not item["expect"]:
            problems.append(f"{item['id']}: empty expect")
        docs = list(SOURCE) if doc == "any" else [doc]
        for d in docs + item.get("also", []):
            if d not in SOURCE:
                problems.append(f"{item['id']}: unknown doc {d}")
        for e in item["expect"]:
            if "\n" in e:
                problems.append(f"{item['id']}: newline in expect {e!r}")
            # an expect may come from the answer doc or from a doc listed in "also"
            hits = [d for d in docs + item.get("also", []) if e in SOURCE[d]]
            if not hits:
                problems.append(f"{item['id']}: expect {e!r} not in source of {doc}")
                continue
            # second check: in the text extracted from the real file (no line-break spans)
            for d in hits:
                if d in ex and e not in ex[d]:
                    norm = " ".join(ex[d].split())
                    why = "spans a line break" if e in norm else "not in extracted text"
                    problems.append(f"{item['id']}: expect {e!r} {why} in {d} (extracted)")
        if kind == "danger" and not any("911" in SOURCE[d] for d in docs):
            problems.append(f"{item['id']}: no 911 in docs")
    for stem, pats in ABSENT_IN_DOC.items():
        for pat in pats:
            if re.search(pat, SOURCE[stem]):
                problems.append(f"{stem} contains {pat}")
    # phone-missing orgs must have no number anywhere in the same sentence/line
    for item in lines:
        if item["kind"] == "phone-missing":
            name = item["expect"][-1] if "Marlow" in item["expect"][-1] else "St. Brigid"
            for stem, txt in SOURCE.items():
                for line in txt.splitlines():
                    if name in line and re.search(r"555-01\d\d", line):
                        problems.append(f"{item['id']}: {name} has a number in {stem}: {line}")
    return problems


def slugged(item):
    """The question with its document names as Field Guide's ids (file stem, lower case,
    hyphens): "harbor_house_intake_policy" -> "harbor-house-intake-policy"."""
    def slug(name):
        return name if name in ("any", "none") else re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    out = dict(item, doc=slug(item["doc"]))
    if "also" in item:
        out["also"] = [slug(a) for a in item["also"]]
    return out


def main():
    build()
    with open(os.path.join(HERE, "questions.jsonl"), "w", encoding="utf-8") as fh:
        for item in Q:
            fh.write(json.dumps(slugged(item), ensure_ascii=False) + "\n")
    print("documents:")
    for stem, txt in sorted(SOURCE.items()):
        print(f"  {stem:38s} {len(re.findall(r'[A-Za-z0-9$]+', txt)):5d} words")
    counts = {}
    for item in Q:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    print("questions:", len(Q), counts)
    problems = validate()
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("validation OK")


if __name__ == "__main__":
    main()
