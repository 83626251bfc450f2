### redeem-bot: the English catalog (Project Fluent). Every text the customer or staff sees.
###
### For translators:
### - Keep the vendor's terms as they are: "S/N" (the serial number sticker), "CHK" (the
###   3-digit check code on that sticker), "Steam" and "Steam code", "MSI", "MSI®".
### - { $name } is a parameter filled in by the bot: keep it, with the same name; you may move
###   it within the sentence. Do not translate the parameter's name.
### - Plural forms: write a selector on the number, e.g.
###     key = { $count ->
###         [one] one claim
###        *[other] { $count } claims
###     }
###   with the plural categories of your language (German: one/other; Chinese: other only).
### - Button labels (btn-*) should stay short (Telegram shows about 30 characters per button).
### - Command descriptions (command-*) must fit 256 characters; better under 60.
### - Lines of a multi-line text are indented by four spaces. {"  "} keeps leading spaces,
###   {"["} / {"*"} / {"."} keep a line that starts with that character as text.
### - Every id here must exist in every language, with the same parameters (a test checks it).


start-welcome =
    Hi! I'm redeem-bot, MSI's promotion assistant. 🎁
    I help you register your MSI product, claim a promotion prize (a Steam code or a gift) and follow your claim, all in this chat.

    New here? Sign up. Already an MSI member? Log in.

menu-title = What would you like to do?

menu-title_guest = What would you like to do? Sign up or log in to register products and redeem promotions.

menu-resumed = Welcome back. Let's continue where you left off; everything you entered is kept.

auth-required = Please log in or sign up first; it takes a minute.

auth-already = You are already logged in.

common-use_buttons = Please choose one of the buttons below.

common-button_expired = That button belongs to an earlier step and has expired. Here is where you are now:

common-no_image_here = Thanks, but I'm not expecting a picture at this step.

common-current_value = Current value: { $value }

common-empty = I didn't get any text. Could you type it again?

common-unknown_command = I don't know the command /{ $command }. Type /help to see what I can do.

common-cancelled = Cancelled: { $what }. Nothing of it was kept.

common-cancelled_undo = Cancelled: { $what }. Changed your mind? Tap “Undo” to get back everything you entered.

common-cancelled_claim_kept = Cancelled: { $what }. Your rejected claim stays as it was: you can redeem it again from “My claims” at any time.

common-undone = Back to your { $what }, with everything you entered.

common-nothing_to_cancel = There's nothing to cancel right now.

edit-taken = ✏ I've taken your edited answer instead.

edit-use_summary = I saw you edited an earlier message, but I only take the latest answer that way. To change another value, use the ✏ buttons on the summary at the end (or tap Back).

common-dont_understand = Sorry, I didn't understand that. Choose an option below, or ask a question in the FAQ.

btn-back = ◀ Back

btn-skip = Skip

btn-cancel = ✖ Cancel

btn-confirm = ✅ Confirm

btn-edit_field = ✏ { $label }

btn-keep = Keep: { $value }

btn-other_address = ✏ Another recipient or address

btn-keep_phone = 📞 Save to my profile

btn-undo = ↩ Undo

btn-yes = Yes

btn-no = No

btn-agree = I agree

btn-agree_continue = ✅ I agree, continue

btn-no_thanks = No, thanks

btn-send_to_support = 📨 Send to support

btn-ask_person = 🙋 Ask a person

btn-login_instead = 🔑 Log in instead

btn-clear_field = 🗑 Clear { $label }

btn-disagree = I don't agree

btn-logout = Log out

btn-change_password = 🔑 Change password

btn-forgot_password = Forgot your password?

btn-resend_code = 📨 Send a new code

btn-menu = ☰ Menu

btn-where_to_find = ❓ Where do I find it?

btn-serial_ok = Yes, that's right

btn-serial_retype = No, type it again

btn-redeem_for = 🎁 Redeem: { $name }

btn-my_products = 📦 My products

btn-register_product = ➕ Register a product

btn-promotions = 🏷 Promotions

btn-status = 📋 My claims

btn-redeem_again = 🔁 Redeem again

btn-redeem_again_for = 🔁 Redeem again: { $product }

btn-claim_details = Details: { $product }

btn-more_faq = More questions

btn-page_prev = ◀ Previous

btn-page_next = Next ▶

page-of = Page { $page } of { $pages }

btn-support = 💬 Talk to support

btn-cancel_request = Cancel request

btn-close_request = Close request

btn-reply_support = 💬 Reply

btn-resume = ▶ Continue: { $what }

btn-redeem = 🎁 Redeem a promotion

btn-profile = 👤 My profile

btn-faq = ❓ FAQ

btn-signup = Sign up

btn-login = Log in

btn-replace_image = Replace the picture

btn-retype_serial = Type it again

btn-new_invoice = 📄 Send a new invoice instead

form-signup = sign-up

form-login = log-in

form-register = product registration

form-redeem = redemption

form-again = redeem again

field-signup-email = Email

field-signup-first_name = First name

field-signup-last_name = Last name

field-signup-region = Region / Location

field-signup-phone = Contact number

field-signup-newsletter = Newsletter

field-signup-reward_terms = MSI Reward Program

field-register-category = Category

field-register-product_name = Product name

field-register-model = Model

field-register-serial = Serial number

field-register-chk = CHK code

field-register-region = Region / Location

field-register-store = Store name

field-register-purchase_date = Purchase date

field-register-channel = Where purchased

field-register-invoice = Invoice

field-redeem-promotion = Promotion

field-redeem-product = Product

field-redeem-sn_photo = S/N photo

field-redeem-first_name = First name

field-redeem-last_name = Last name

field-redeem-zip = Zip code

field-redeem-city = City

field-redeem-state = State / Province / Region

field-redeem-street = Street address

field-redeem-unit = Apartment / Building / Unit / Floor

field-redeem-phone = Contact number

field-redeem-note = Note

field-again-invoice = invoice

field-again-sn_photo = S/N photo

field-again-serial = serial number

summary-line = { $label }: { $value }

summary-empty = —

summary-image_received = ✓ received

summary-use_buttons = Please confirm, or tap a field to change it.

# sign up
signup-email-prompt =
    Let's create your MSI member account.
    What is your email address?

signup-first_name-prompt = Your first name?

signup-last_name-prompt = Your last name? (optional)

signup-region-prompt = Your region / location? Type your country, e.g. “Germany”, “Taiwan” or “US”.

signup-phone-prompt = Your contact number? (optional; with the country code if you can, e.g. +49 30 1234567)

signup-newsletter-prompt = Would you like to subscribe to MSI's latest information (newsletter)?

signup-reward_terms-prompt = Join the MSI Reward Program? Members earn points, get exclusive offers and VIP event invites. Joining means you agree to the Reward Program terms and conditions.

signup-summary-title = Please check your details:

signup-email_registered = { $email } already has an MSI account. Log in with it (if you forgot the password, you can reset it there), or type another e-mail address.

signup-consent-needed = Please agree to the MSI Privacy Policy first: tap “I agree, continue” under your details.

signup-summary-hint = Optional: last name, contact number, newsletter and the MSI Reward Program (tap one to add or change it; nothing else is asked).
    Required: by tapping “I agree, continue” you acknowledge and agree to the MSI Privacy Policy: { $privacy_url }
    The MSI Reward Program terms and conditions, if you join it: { $terms_url }

signup-password-prompt =
    Choose a password (at least 8 characters, with letters and digits).
    🔒 For your safety I delete your message as soon as I have read it.

signup-password_confirm-prompt = Type the same password once more to confirm it.

signup-done = Welcome to MSI, { $name }! Your account is ready. 🎉 Next: register your product to see which promotions it qualifies for.

login-email-prompt = Log in to your MSI member account. What is your email address?

login-password-prompt =
    Your password for { $email }?
    🔒 I delete your message as soon as I have read it.

login-done = Welcome back, { $name }!

login-forgot_demo = No problem: MSI support can help you back into your account. Write them a short message with your email address; a person answers here in this chat.

# email ownership (defect 10): one-time codes for sign-up and password reset
email_code-prompt = Type the 6-digit code for { $email } here. No email? Check your spam folder, or tap “Send a new code”.

email_code-sent = 📨 I sent a code to { $email }.

email_code-demo = 🧪 DEMO MODE: no email was sent (this bot has no mail server configured). The code for { $email } is: { $code }

email_code-wait = { $seconds ->
        [one] I sent a code very recently. You can ask for a new one in { $seconds } second.
       *[other] I sent a code very recently. You can ask for a new one in { $seconds } seconds.
    }

email_code-send_failed = I couldn't send the email just now. Please tap “Send a new code” in a minute.

email_code-start_again = That sign-up or reset is no longer open (it was replaced or used too often). Please start again.

email-signup-subject = Your MSI member account code

email-signup-body =
    Hello { $name },

    your code to confirm your email address for your MSI member account is:

    {"    "}{ $code }

    It is valid for { $minutes } minutes. If you did not sign up, ignore this email: without the code nobody can use your address.

    MSI

email-reset-subject = Your MSI password reset code

email-reset-body =
    Hello { $name },

    your code to choose a new password for your MSI member account is:

    {"    "}{ $code }

    It is valid for { $minutes } minutes. If you did not ask for it, ignore this email: your password stays unchanged.

    MSI

reset-started = No problem: if there is an MSI account for { $email }, I'm sending it a code to choose a new password.

reset-done = 🔑 Done, { $name }: your new password is set, and every other chat logged in to your account has been logged out. You are logged in here.

# the customer's language (/language, and three buttons in the profile)
language-choose = 🌐 Choose your language. The buttons show each language in its own name.

language-set = 🌐 From now on I write to you in { $language }.

logout-done = You are logged out. Your data stays safe with MSI; log in again anytime.

profile-view =
    👤 Your profile
    Email: { $email }
    First name: { $first_name }
    Last name: { $last_name }
    Region / Location: { $region }
    Contact number: { $phone }
    Newsletter: { $newsletter }
    MSI Reward Program: { $reward }

profile-saved = Saved.

profile-edit-reward_prompt = Join the MSI Reward Program? Joining means you agree to its terms and conditions: { $terms_url }

profile-edit-prompt = New value for { $label }?

password-changed = 🔑 Your password is changed. Use the new one the next time you log in.

password-cancelled = Cancelled: your password is unchanged.

password-current-prompt =
    To change your password, first type your current one.
    🔒 I delete your message as soon as I have read it.

password-current-wrong = That is not your current password. Please try again, or go back.

password-new-prompt =
    Now choose a new password (at least 8 characters, with letters and digits).
    🔒 I delete your message as soon as I have read it.

password-new_confirm-prompt = Type the new password once more to confirm it.

region-pick = Which one do you mean? Choose below, or type it differently.

region-no_match = I couldn't find a region called “{ $query }”. Try the country name in English, e.g. “Germany”, or its code, e.g. “DE”.

region-no_match_profile = I couldn't find exactly one region called “{ $query }”. Try the full country name, e.g. “Germany”.

# product registration
reg-category-prompt = Let's register your product. Which category is it?

reg-category-invalid = Please choose a category from the buttons.

reg-product_name-prompt = What is the product name? (as on the box or invoice, e.g. “MEG Z690 ACE”)

reg-model-prompt = And the model? (e.g. “MS-7D27”; it is on the sticker and must also appear on your invoice)

reg-serial-prompt =
    What is the serial number (S/N) of your { $category }?
    It's on the S/N sticker, e.g. BA3T01946000V. You can also send a photo of the sticker and I'll read its barcode.
    ⚠ Please pay attention to the differences between “0” and “O”, “1” and “l”.

reg-serial_confirm-prompt =
    Please check: I read the serial number as

    { $serial }

    { $spelled }

    Is that exactly what the sticker shows?

glyph-digit_zero = is the digit zero

glyph-letter_o = is the letter O

glyph-digit_one = is the digit one

glyph-letter_i = is the letter I

glyph-letter_l = is the letter L

glyph-digit_five = is the digit five

glyph-letter_s = is the letter S

glyph-digit_eight = is the digit eight

glyph-letter_b = is the letter B

glyph-digit_two = is the digit two

glyph-letter_z = is the letter Z

reg-chk-prompt = Now the CHK code: the 3-digit code printed on the serial number sticker of your { $category }.

reg-chk-read_as = I read the CHK code as { $value } (digits only).

reg-region-prompt = In which region / location did you buy it? Type the country, or choose below.

reg-region-assumed = Bought in { $region }, your account's region (if not, change it on the summary, or tap Back).

reg-store-prompt = What is the store's name? (e.g. “Amazon.de”, “Newegg”, “Best Buy”)

reg-purchase_date-prompt = When did you buy it? Choose below or type the date, e.g. { $example } or { $iso }.

reg-date_confirm-prompt = Which date do you mean?

reg-channel-prompt = Where did you purchase the product?

reg-channel-invalid = Please choose Retail store, Online retailer or Reseller.

reg-invoice-prompt =
    Last step: send a photo of your invoice (as a photo or a file: jpg, png, gif or webp).
    The invoice must show the model name, the invoice date, the store and the invoice number, or the claim is rejected.

reg-invoice-prompt_early =
    Send a photo of your invoice (as a photo or a file: jpg, png, gif or webp): I'll check it and read the store and the purchase date from it.
    The invoice must show the model name, the invoice date, the store and the invoice number, or the claim is rejected.

reg-invoice-filled = From your invoice: store { $store }, purchase date { $date }. If either is wrong, change it on the summary.

reg-invoice-prompt_edit =
    Send a new photo of your invoice (as a photo or a file: jpg, png, gif or webp), or tap Back to keep the one you sent.
    The invoice must show the model name, the invoice date, the store and the invoice number.

reg-summary-title = Your product:

reg-summary-hint = Confirm to register it, or tap a field to change it.

reg-done = ✅ Registered: { $product } (S/N { $serial }).

reg-outlook_later = I can't check its promotions right now; see “My products” in a moment.

category-laptop = Laptop

category-all_in_one = All-in-One PC

category-desktop = Desktop

category-monitor = Monitor

category-motherboard = Motherboard

category-graphics_card = Graphics Card

category-pc_case = PC Case

category-gaming_gear = Gaming Gear

category-gaming_chair = Gaming Chair

category-liquid_cooling = Liquid Cooling

category-power_supply = Power Supply

channel-retail = Retail store

channel-online = Online retailer

channel-reseller = Reseller

date-today = Today

date-yesterday = Yesterday

date-pick = 📅 Pick another date

help-serial-laptop = Laptop: turn it over. The S/N sticker is on the bottom cover (a barcode with “S/N” next to it). It is also on the box, but please use the one on the laptop.

help-serial-all_in_one = All-in-One PC: the S/N sticker is on the back of the unit, near the stand or the I/O ports.

help-serial-desktop = Desktop: the S/N sticker is on the back or the side panel of the case, near the rear I/O.

help-serial-monitor = Monitor: the S/N sticker is on the back of the monitor, usually near the ports or the VESA mount.

help-serial-motherboard = Motherboard: the S/N sticker is on the board itself, often between the PCIe slots or on the edge near the 24-pin connector. The box's sticker is not enough.

help-serial-graphics_card = Graphics card: the S/N sticker is on the back plate or the side of the card, next to the PCIe connector.

help-serial-pc_case = PC case: the S/N sticker is on the back of the case, near the I/O shield or the PSU opening.

help-serial-gaming_gear = Gaming gear (mouse, keyboard, headset): the S/N sticker is on the underside of the device or on the cable's label.

help-serial-gaming_chair = Gaming chair: the S/N sticker is under the seat, on the mechanism plate.

help-serial-liquid_cooling = Liquid cooling: the S/N sticker is on the radiator or the pump block.

help-serial-power_supply = Power supply: the S/N sticker is on the side of the PSU, with the power ratings label.

help-chk-laptop = The CHK code is the 3 digits printed next to “CHK” on the same S/N sticker on the bottom of your laptop.

help-chk-all_in_one = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the back of the unit.

help-chk-desktop = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the case.

help-chk-monitor = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the back of the monitor.

help-chk-motherboard = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the board.

help-chk-graphics_card = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the card.

help-chk-pc_case = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the case.

help-chk-gaming_gear = The CHK code is the 3 digits next to “CHK” on the S/N sticker under the device.

help-chk-gaming_chair = The CHK code is the 3 digits next to “CHK” on the S/N sticker under the seat.

help-chk-liquid_cooling = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the radiator or pump.

help-chk-power_supply = The CHK code is the 3 digits next to “CHK” on the S/N sticker on the PSU.

# promotions and products
promo-title = 🏷 Promotions open now

promo-line =
    • { $name }
    {"  "}Purchases { $start } to { $end }, redeem until { $redeem_end }
    {"  "}For: { $categories }
    {"  "}Prize: { $prize } · up to { $limit } per member

promo-none_open = No promotion is open right now.

promo-nothing_redeemable = None of your registered products can be redeemed right now. Register a product, or see “My products” for the reasons.

prize-digital = a digital code

prize-physical = a gift

product-eligible = 🎉 { $product } qualifies for: { $promotions }.

product-not_eligible =
    { $product } can't be redeemed for a promotion right now:
    { $reasons }

products-title = 📦 Your products

products-none = You have no registered products yet.

products-line =
    • { $product } ({ $category }, model { $model })
    {"  "}S/N { $serial } · bought { $date }

products-warranty = {"  "}🛡 Warranty until { $date }

products-redeemable = {"  "}✅ Can be redeemed for: { $promotions }

products-why_not = {"  "}✖ Not redeemable now:

why-promo_ended = “{ $promotion }” would fit it, but ended on { $date }

why-promo_upcoming = “{ $promotion }” will fit it: it opens on { $date }

promo-upcoming_title = 🔜 Coming soon

promo-opens_on = Opens on { $date }

promo-ended_title = ⏹ Ended (for reference)

promo-ended_line =
    • { $name } (ended on { $date })
    {"  "}Purchases { $start } to { $end } · For: { $categories }

why-none_open = no promotion is open for it right now

why-category = { $promotion } is for { $categories }, not { $category }

why-model = { $promotion } does not include the model { $model }

why-purchase_before = purchased { $date }, before the { $promotion } purchase window { $start }..{ $end }

why-purchase_after = purchased { $date }, after the { $promotion } purchase window { $start }..{ $end }

why-region = { $promotion } is not offered in { $region }

why-limit = you have reached { $promotion }'s limit of { $limit } per member

why-already_claimed = this product already has a claim for { $promotion } (see “My claims”)

why-redeem_closed = { $promotion } closed for redemption on { $end }

why-redeem_not_open = { $promotion } opens for redemption on { $start }

# serial keys (one physical product, one registration)
why-serial_disputed = its serial number is also registered to an earlier product, so our staff have to check it first; please contact support

# redeem
redeem-nothing = You have no product that can be redeemed right now.

redeem-promotion_not_redeemable = That promotion can't be redeemed with your products right now.

redeem-product_not_eligible = That product can't be redeemed for this promotion.

redeem-submitted =
    Dear Customer,
    Your request for { $promotion } has been successfully sent. Application is under process; all applications are checked by our staff and might take up to 7 ~ 14 working days.
    Thank you for your patience.
    Please watch this chat: the answer comes here, not by e-mail (so there is no spam folder to check), as soon as the status changes.

redeem-promotion-prompt = Which promotion would you like to redeem?

redeem-product-prompt = Which product do you redeem for { $promotion }?

redeem-sn_photo-prompt = Send a photo of the S/N sticker ON THE PRODUCT (not on the package), so the serial number is readable.

redeem-picked = Redeeming { $promotion } for { $product }, your only product that qualifies. (Tap Back at the next step to change it.)

redeem-picked_registered = 🎉 It qualifies for { $promotion }: let's redeem it right away for { $product }. (Not now? Tap Cancel: the product stays registered, and “Redeem a promotion” in the menu brings you back. Another product? Tap Back.)

redeem-address-last =
    The prize goes to the address you used last time:
    { $address }
    (Another one? Tap “Another recipient or address” under the summary.)

redeem-address-own =
    The prize goes to you:
    { $address }
    (For someone else, tap “Another recipient or address”.)

redeem-keep_phone = Keep { $phone } as the contact number in your profile?

redeem-phone_kept = Saved: { $phone } is now the contact number in your profile.

redeem-first_name-prompt = Recipient details. First name?

redeem-last_name-prompt = Last name?

redeem-zip-prompt = Zip code? (You may type the city with it, e.g. “10115 Berlin”.)

redeem-city-prompt = City?

redeem-state-prompt = State / province / region? (optional)

redeem-street-prompt = Street address? (With the apartment or floor, if there is one.)

redeem-unit-prompt = Apartment / building / unit / floor? (optional)

redeem-phone-prompt = Contact number?

redeem-note-prompt = Anything to add for MSI? (optional note)

redeem-product_summary = { $product } · { $serial } ({ $category }, bought { $date }, { $region })

redeem-summary-title = Please check your redemption:

redeem-summary-hint = Confirm to redeem, or tap a field to change it.

again-intro = Let's fix your claim. The reason given was: { $reason }

again-fields_hint = Change what the reason asks for, then confirm; everything else is kept.

again-not_rejected = This claim can't be redeemed again: its status is “{ $status }”.

again-summary = Ready to send { $promotion } back for review with the new { $what }. Everything else stays as it was.

again-summary_serial = Ready to send { $promotion } back for review with the serial number { $serial }. Everything else stays as it was.

again-invoice-prompt = Send a new photo of your invoice for { $promotion }. It must show the model name, the invoice date, the store and the invoice number.

again-serial-prompt = Type the serial number exactly as on the S/N sticker on the product, for { $promotion }. ⚠ Mind “0” and “O”, “1” and “l”.

again-sn_photo-prompt = Send a new photo of the S/N sticker on the product itself (not the package) for { $promotion }.

again-nothing_changed =
    Nothing has changed yet: the address and the photo are still the ones that were reviewed. The reason was: { $reason }
    Tap ✏ on the field to change (for example the street or the zip code), then confirm.

again-same_serial = { $serial } is the serial number that was already reviewed. Please type the serial number exactly as on the S/N sticker on the product; it must differ from the one sent before.

again-same_sn_photo = That is the same photo that was already reviewed. Please take a new photo of the S/N sticker on the product itself (not the package).

again-same_invoice = That is the same invoice picture that was already reviewed. Please send a new, sharp photo of the invoice showing the model name, the invoice date, the store and the invoice number.

# status
status-title = 📋 Your redeem history

status-none = You haven't redeemed anything yet.

status-line =
    • { $date } · { $promotion }
    {"  "}{ $product } / { $serial }
    {"  "}Status: { $status }

status-under_review = Redeem qualification under review

status-rejected = Rejected

status-rejected_with = Rejected: { $reason }

status-approved = Approved

status-approved_physical = Approved: your gift ships within 8-12 weeks

status-success = Redeem Success

status-shipped = Shipped

status-shipped_tracking = Shipped (tracking: { $tracking })

status-detail_product = {"  "}{ $category } · bought { $date } · { $region }

status-detail_dates = {"  "}Sent { $submitted } · current status since { $changed }

status-history_title = {"  "}What happened:

status-history_line = {"    "}{ $date } · { $status }

status-history_sent = Sent

status-history_sent_again = Sent again after the rejection

status-code = Your code: { $code }

reason-invoice_missing_model = Please provide the invoice with your product name (model) on it.

reason-invoice_unreadable = The invoice picture can't be read. Please send a sharper photo of the whole invoice.

reason-invoice_missing_date_or_store = The invoice must show the purchase date and the store. Please provide one that does.

reason-sn_photo_on_package = The S/N photo shows the package. Please photograph the S/N sticker on the product itself.

reason-sn_photo_unreadable = The S/N photo can't be read. Please send a sharper photo of the sticker.

reason-sn_mismatch = The serial number in the photo doesn't match the registered one. Please check it.

reason-address_incomplete = The recipient address is incomplete. Please complete it.

reason-other = Please check your claim.

# notifications
notify-rejected =
    Sorry, your redemption for { $promotion } needs a fix.
    Reason: { $reason }
    Tap “Redeem again”: you only re-do what the reason asks for.

notify-success =
    🎉 Congratulations on the purchase of your MSI® product!
    Your { $promotion } activation code is:

    { $code }

    How to activate: { $activation }

notify-activation_default = open Steam, choose Games > Activate a Product on Steam, and enter the code.

# the vendor's activation help is in English: other languages show this, with its link
notify-activation_see = Instructions: { $url }

notify-approved_physical = 🎉 Your redemption for { $promotion } is approved! Your gift will be delivered within 8-12 weeks.

notify-shipped = 📦 Your gift for { $promotion } has been shipped. Tracking: { $tracking }

# FAQ
faq-title = ❓ Frequently asked questions. Choose one, or type your question.

faq-answer =
    ❓ { $question }

    { $answer }

faq-no_match = I couldn't match that to a question. Choose one below, or talk to support.

faq-no_promotion-q = Why is there no promotion for my product?

faq-no_promotion-a =
    1. Check that your product is an eligible model.
    2. Check that your invoice date is in the eligible period.
    3. Make sure the region you live in is eligible for the promotion.
    4. Make sure you bought the product from an MSI partner in your region.
    “My products” shows the exact reason for each of your products.

faq-no_promotion-keywords = no promotion, not eligible, eligible, no relative promotion, why no, cannot redeem, can't redeem, missing promotion, qualify, qualifies

faq-incomplete-q = My claim was incomplete or rejected. What now?

faq-incomplete-a =
    Please make sure you provided:
    1. An invoice / purchase proof that shows the purchase date, the store and the model.
    2. A picture of the S/N on the product itself, not on the package.
    Open “My claims” and tap “Redeem again”: you only re-upload what was missing.

faq-incomplete-keywords = incomplete, rejected, reject, missing, redeem again, re-upload, reupload, declined, failed

faq-how_long-q = How long does it take, and when do I get my gift?

faq-how_long-a = Digital codes: 7-14 working days to be verified. Physical prizes: 8-12 weeks to be delivered after your redemption is approved. I'll tell you here when the status changes.

faq-how_long-keywords = how long, when, days, weeks, wait, waiting, time, delivered, delivery, receive gift, processing

faq-no_email-q = I didn't receive any email.

faq-no_email-a = Everything also arrives in this chat, including your code. If you expect an email, check your spam, junk, trash or archive folders and your email filters.

faq-no_email-keywords = email, e-mail, mail, spam, inbox, no email, not received, didn't receive

faq-find_serial-q = Where do I find the serial number (S/N)?

faq-find_serial-a = On the S/N sticker on the product itself (e.g. BA3T01946000V). During registration, tap “Where do I find it?” at the serial number step for your product's category.

faq-find_serial-keywords = serial, s/n, sn, serial number, where find, sticker, barcode

faq-chk-q = What is the CHK code?

faq-chk-a = The 3-digit code printed next to “CHK” on the serial number sticker of your product.

faq-chk-keywords = chk, check code, 3 digit, three digit, chk code

faq-invoice-q = What must the invoice show?

faq-invoice-a = The model name, the invoice date, the store (channel) and the invoice number. Send it as a photo or an image file (jpg, png, gif, webp); I resize it to the vendor's 1600 px limit for you.

faq-invoice-keywords = invoice, receipt, purchase proof, proof of purchase, bill, upload invoice

faq-limit-q = How many times can I redeem?

faq-limit-a = Each promotion has a redeem limit per member (for most: 2 for each email), and each product can be claimed once per promotion.

faq-limit-keywords = how many, limit, redeem unit, times, twice, two products, several

faq-zero_o-q = Is it 0 or O, 1 or l in my serial number?

faq-zero_o-a = MSI serial numbers mostly use digits after the first few characters: “0” (zero) rather than “O”, “1” (one) rather than “l” or “I”. If your serial has such a character, I show you how I read it so you can confirm it.

faq-zero_o-keywords = zero, letter o, 0 or o, one or l, 1 or l, confuse, o or 0

# support
support-compose = 💬 Write your question for MSI support. A person will answer here in this chat.

support-sent = Sent to our support team. Nobody has answered yet; I'll post the answer here as soon as they reply (usually within one working day).

support-waiting = Your support request is open. Anything you write now is added to it; answers from MSI support appear here.

support-added = Added to your support request.

support-closed = Your support request is closed. Thank you!

support-cancelled = Cancelled: your support request is withdrawn and nobody will answer it. If you need help later, choose “Talk to support” in the menu.

support-none_open = You have no open support request.

support-answer =
    💬 MSI support:
    { $text }

support-image_note = (picture)

support-compose_cancelled = Cancelled: nothing was sent to support.

support-image_dropped = OK, I won't send the picture.

support-image_offer = Thanks for the picture. I'm not asking for one right now: shall I send it to our support team? (To register a product or redeem, choose that in the menu first.)

support-closed_by_staff = ✅ MSI support closed your request. If you need anything else, choose “Talk to support” in the menu.

# words typed for buttons
# comma-separated; a customer who types one of these gets the button it names
typed-back = back, go back, previous

typed-skip = skip, none, no

typed-cancel = cancel, stop, abort

typed-confirm = confirm, ok, yes, correct, send

typed-keep = keep, same, unchanged

typed-support = support, human, a person, real person, someone, agent, staff, customer service, helpdesk, help desk, operator

# the channel's command menu
command-start = Start or restart the assistant

command-menu = Show the main menu

command-status = Status of my claims

command-help = Help for the current step

command-cancel = Cancel what I'm doing

command-language = Change the language

# help
help-general = I help you register MSI products and redeem promotions. Use the buttons, or these commands anytime:

help-commands = /menu main menu · /status your claims · /cancel cancel what you're doing · /language change the language · /help this help

help-form-signup = You're creating your MSI member account. Answer each question; you can go back or cancel at any time. Your password is never stored in this chat.

help-form-register = You're registering a product. You'll need the S/N sticker on the product (serial number and CHK code) and your invoice.

help-form-redeem = You're redeeming a promotion. You'll need a photo of the S/N sticker on the product and the recipient's address.

help-form-again = You're redeeming again after a rejection: only send what the reason asks for.

# images
image-expected = Please send a picture here (as a photo or a file).

image-received = Got it, thanks. 📎

image-album_first = You sent { $count } pictures at once; I used the first one. If it was the wrong one, send the right one again at the summary.

image-too_large = That file is too large (the limit is { $max_mb } MB). Please send a smaller picture.

image-download_failed = I couldn't download that file. Please send it again.

image-unsupported = I can't use that kind of file. Please send a photo, or an image file ({ $formats }).

image-not_image = That file isn't a picture. Please send a photo, or an image file (jpg, png, gif or webp).

image-corrupt = That picture seems damaged and can't be opened. Please send it again.

image-bomb = That picture is far too large in pixels to process. Please send a normal photo.

image-too_small = That picture is too small to read (at least { $min_px } px). Please send a sharper, larger photo.

# images: worker pool and per-chat rate (storage/image_pool.py, handlers/images.py)
image-busy = I'm working on a lot of pictures right now. Please send yours again in a moment.

image-slow_down = You're sending pictures faster than I can look at them. Please wait a moment ({ $seconds } s), then send it again.

# validation
invalid-email = That doesn't look like an email address. Please check it, e.g. name@example.com.

invalid-password_short = { $min ->
        [one] Your password must be at least { $min } character long.
       *[other] Your password must be at least { $min } characters long.
    }

invalid-password_weak = Please use letters and digits in your password.

invalid-password_personal = Please don't use your e-mail address or your name in your password: they are the first things someone would try.

invalid-password_common = That password (or one very close to it) is on the lists of common passwords attackers try first. Please choose another one, e.g. three or four unrelated words with a digit.

invalid-password_guessable = That password would be too easy to guess (a short word with digits, a keyboard row or a date). Please make it longer, e.g. three or four unrelated words with a digit.

invalid-password_long = That password is too long (at most { $max } characters).

invalid-password_mismatch = The two passwords don't match. Let's try again.

# password digest at rest (defect 9)
invalid-password_expired = That took a while, so I forgot your first entry. Please choose your password again.

invalid-name = Please type a name (letters only, up to 50 characters).

invalid-phone = That doesn't look like a phone number. Please include the country code, e.g. +49 30 1234567.

invalid-zip = That doesn't look like a valid zip code for your region.

invalid-zip_format = That doesn't look like a postal code of your region; there it is written e.g. { $example }.

invalid-city_is_zip = That looks like a postal code, not a city. Please type the name of the city or town.

invalid-text_empty = Please type something.

invalid-text_long = That's too long; please keep it under { $max } characters.

invalid-chk = The CHK code is exactly 3 digits, printed next to “CHK” on the S/N sticker.

invalid-serial = That doesn't look like an MSI serial number. It's on the S/N sticker, e.g. { $example }. Tap “Where do I find it?” if you're unsure.

invalid-date = I couldn't read that date. Try e.g. { $examples }.

invalid-date_no_such_day = That day does not exist: that month has fewer days. Please check the date.

invalid-date_future = That date is in the future. Please check the purchase date.

invalid-date_too_old = { $years ->
        [one] That's more than { $years } year ago. Please check the purchase date.
       *[other] That's more than { $years } years ago. Please check the purchase date.
    }

invalid-yesno = Please answer yes or no.

invalid-region = I couldn't find that region. Try the country name in English, e.g. “Germany”.

invalid-category = Please choose a category from the buttons.

invalid-channel = Please choose Retail store, Online retailer or Reseller.

# errors
error-unexpected = Sorry, something went wrong on my side. Nothing you entered is lost; please try again.

error-backend = The promotion service had a problem. Please try again in a moment; nothing you entered is lost.

error-backend_unavailable = The promotion service is unreachable right now. Please try again in a few minutes; nothing you entered is lost.

error-email_taken = There's already an MSI account with that email. Please log in instead.

error-invalid_credentials = Email or password is not correct. Please try again.

error-account_locked = { $minutes ->
        [one] Too many failed attempts: this account is locked for { $minutes } minute. Please try again later.
       *[other] Too many failed attempts: this account is locked for { $minutes } minutes. Please try again later.
    }

# email ownership (defect 10)
error-email_not_verified = Your email address is not confirmed yet, so your account is not active.

error-code_wrong = { $tries_left ->
        [one] That code is not right. { $tries_left } try left.
       *[other] That code is not right. { $tries_left } tries left.
    }

error-code_expired = That code has expired or is no longer valid. Tap “Send a new code” to get a fresh one.

error-code_tries_used = Too many wrong codes. Tap “Send a new code” to get a fresh one.

# accounts attack review: wrong codes counted per account across every code sent
error-code_tries_today = Too many wrong codes were typed for this account. To keep it safe, no code is accepted for the next 24 hours. Please try again tomorrow.

error-resend_too_soon = { $seconds ->
        [one] I just sent you a code. You can ask for a new one in { $seconds } second.
       *[other] I just sent you a code. You can ask for a new one in { $seconds } seconds.
    }

error-serial_taken = The serial number { $serial } is already registered to another account. If it is yours, please contact support; we have noted it for our staff.

error-serial_taken_mine = You have already registered the serial number { $serial }. See “My products”.

error-not_eligible = This product can't be redeemed for { $promotion }:

error-limit_reached = You have reached the redeem limit of { $limit } for this promotion.

error-not_found = I couldn't find that. It may have been removed.

error-invalid_transition = That isn't possible in the claim's current status.

error-no_codes_left = The promotion has no codes left right now.

error-invalid_field = Something you entered ({ $field }) was not accepted. Please check it and try again.

error-consent_required = We can only create your account if you agree to the MSI Privacy Policy.

error-idempotency_conflict = That request was already used for something else. Please start it again.

# serial keys (staff: approving a claim on a disputed serial)
error-serial_disputed = Claim { $claim }: its product's serial number is also registered to another product (see /conflicts or `redeem-bot review conflicts`). Settle that first; reject the claim if it is the duplicate.

error-serial_locked = This product has other claims, so its serial number can't be changed here. If the sticker shows a different serial number, please contact support and we will check it with you.

media-error = That picture can't be stored right now. Please send it again.

media-invalid_ref = That picture can't be found any more. Please send it again.

media-not_found = That picture can't be found any more. Please send it again.

media-corrupt = That picture was damaged in storage. Please send it again.

# staff (the staff chat)
staff-help =
    Staff commands:
    /queue · claims waiting for review
    /show CLAIM · one claim with its pictures
    /approve CLAIM
    /reject CLAIM REASON [text] · reasons: /reasons
    /ship CLAIM [tracking]
    /conflicts · serials registered twice
    /tickets · open support requests
    /reply TICKET text · or reply to a forwarded message
    /close TICKET

staff-failed = ⚠ /{ $command } failed; see the bot's log.

staff-queue_empty = No claims waiting for review.

staff-queue_title = { $count ->
        [one] { $count } claim waiting for review:
       *[other] { $count } claims waiting for review:
    }

staff-queue_title_capped = { NUMBER($count, useGrouping: "true") }+ claims waiting for review:

staff-more = … and { $count } more

staff-queue_next = Next page: /queue { $claim }

staff-claim_line = { $claim } · { $at } · { $promotion } · try { $attempts } · { $product } / { $serial }

staff-claim =
    claim: { $claim }
    status: { $status }
    promotion: { $promotion } ({ $code })
    prize: { $prize }
    product: { $product }
    serial: { $serial }
    attempts: { $attempts }
    submitted: { $submitted }

staff-claim_reason = reason: { $reason }

staff-invoice = Invoice · { $claim }

staff-sn_photo = S/N photo · { $claim }

staff-no_claim = No claim “{ $claim }”. Usage: /show CLAIM

staff-usage_approve = Usage: /approve CLAIM

staff-approved = ✅ { $claim }: { $status }. The customer is told in their chat.

staff-usage_reject =
    Usage: /reject CLAIM REASON [text]
    Reasons: { $reasons }

staff-unknown_reason =
    Unknown reason “{ $reason }”.
    Reasons: { $reasons }

staff-rejected = ❌ { $claim }: rejected ({ $reason }). The customer is told what to fix.

staff-reasons = Reasons: { $reasons }

staff-tickets_empty = No open support requests.

staff-tickets_title = { $count } open:

staff-ticket_line = #{ $ticket } · { $at } · customer { $customer }

staff-usage_reply = Usage: /reply TICKET text

staff-no_ticket = No support request #{ $ticket }.

staff-ticket_closed = #{ $ticket } is closed; the customer can open a new request.

staff-reply_sent = ↪ Sent to the customer of #{ $ticket }.

staff-usage_close = Usage: /close TICKET

staff-closed = Closed #{ $ticket }. The customer is told.

staff-not_open = #{ $ticket } was not open.

staff-forward =
    💬 Support #{ $ticket } · customer { $customer }

    { $text }

    Reply to this message to answer, or /reply { $ticket } TEXT · /close { $ticket }

# serial keys: /conflicts (serials registered twice)
staff-conflicts_empty = No serial conflicts.

staff-conflicts_title = Serial conflicts, newest first ({ $count }):

staff-conflict_line = { $at } · { $origin } · { $serial } · member { $member } (product { $other }) → owner { $owner } / product { $product }

# staff authority and audit trail (h/staff)
staff-not_staff = ⛔ Only support staff can use /{ $command } here. This attempt has been logged.

staff-check_failed = ⚠ Could not check your staff rights with the chat just now; please try again in a minute.

staff-usage_ship = Usage: /ship CLAIM [tracking number]

staff-shipped = 📦 { $claim }: shipped (tracking: { $tracking }). The customer is told.

staff-history_title = history:

staff-findings_title = findings:

staff-finding_line = · { $code } (other claim: { $other })

staff-history_line = · { $at } { $action } by { $name } ({ $actor }){ $details }

staff-text_only = Not sent: only text reaches the customer of #{ $ticket }. Reply to their message again with your answer in words.

# sessions: log-ins ended by a password change or "Log out everywhere"
sessions-ended = 🔒 You were logged out here: the password of this account was changed, or someone chose “Log out everywhere”. If that was you, just log in again. If not, log in with your current password and change it.

sessions-others_ended = For your security, I logged you out in every other chat ({ $count }); they need the new password to log in again.

sessions-everywhere_done = 🚪 You are logged out everywhere, in this chat and every other one. Log in again anytime.

btn-sessions-logout_everywhere = 🚪 Log out everywhere

# Telegram receive path (per-chat bound): one answer per flood of messages
telegram-slow_down = You're sending messages faster than I can answer, so I skipped some of them. I'll answer the ones I have, one at a time; please wait for my reply before sending more.

# the serial from the sticker photo (issue 12, h/sticker): read by its barcode at the S/N step
reg-serial_photo-confirm = 📷 I read { $serial } from the barcode. Is that your serial number?

reg-serial_photo-confirm_chk = 📷 I read the serial number { $serial } and the CHK code { $chk } from the barcodes. Is that right?

reg-serial_photo-not_found = I couldn't read a serial number barcode in that photo. Please type the serial number, or send a sharper photo: the S/N sticker on the product, close up, flat and well lit.

reg-serial_photo-busy = I can't read photos just now. Please type the serial number, or try the photo again in a moment.

reg-serial_photo-off = Please type the serial number as it is printed on the S/N sticker.

btn-sticker-ok = Yes

btn-sticker-type = No, I'll type it

reg-serial_photo-taken = 📷 Serial number { $serial }: read off the barcode, so it is exact. (Not your sticker? Tap “Change”.)

reg-serial_photo-taken_chk = 📷 Serial number { $serial } and CHK code { $chk }: read off the barcodes, so they are exact. (Not your sticker? Tap “Change”.)

btn-sticker-change = ✏ Change

redeem-sn_photo-from_sticker = 📷 For the S/N photo I’ll use the sticker photo you just sent: its barcode shows the registered serial number. (Another photo? Tap the button.)

btn-sn_photo-another = 📷 Send another S/N photo

summary-sticker_photo = ✓ the sticker photo from your registration

btn-invoice-send_anyway = Send it anyway
btn-invoice-use_model = Use { $model }

sticker-finding-no_barcode = no Code128 barcode found

sticker-finding-no_serial = barcodes found, none of them a serial number in the vendor's formats

sticker-finding-several_serials = two different serial numbers in the barcodes

sticker-finding-unconfirmed = a serial number barcode read only once, not confirmed by a second reading (a blurred barcode can decode to another valid value)

sticker-finding-unreadable = not a picture that can be read (format, size or damage)

sticker-finding-busy = every reader was busy

sticker-finding-timeout = not read within the time allowed

sticker-finding-failed = the barcode reader failed

## the staff workspace: a topic per customer (handlers/workspace)
# the staff workspace: a topic per customer (handlers/workspace)
workspace-topic_name = { $name } · { $who } · { $language }

workspace-reopened = 🔓 The customer wrote again: this topic is open again.

workspace-banned = Thank you for your message. Our support team can't take further messages from you in this chat.

workspace-answer_soon = A person from our support team will answer here soon.

workspace-answer_today = Our support team is away right now; we'll answer from { $time } today.

workspace-answer_from = Our support team is away right now; we'll answer from { $day } { $time }.

workspace-handoff =
    ❓ The customer asked (the FAQ had no clear answer):
    { $question }

workspace-handoff_near = · closest FAQ #{ $n }: { $question } (send it: /faq { $n })

workspace-handoff_none = · no FAQ entry came close (/learn after your answer adds one)

workspace-closed = Your support request is closed. How did we help? Tap the stars (1 to 5).

workspace-rate_invalid = That rating button is not valid any more.

workspace-rated_already = You already rated this request. Thank you!

workspace-rated = Thank you for rating us { $stars } of 5!

workspace-sla_reminder = ⏰ This customer has waited { $minutes } minutes without an answer.

workspace-staff_answer = { $text }

workspace-not_relayed = ⛔ Only support staff can answer customers here; your message was not passed on. This attempt has been logged.

workspace-is_banned = This customer is banned: nothing is passed on. /unban first.

workspace-not_open = This topic is not open.

workspace-not_open_answer = Not sent: this topic is closed. The customer reopens it by writing again.

workspace-closed_by = ✅ Closed by { $name }. The customer was told and can rate the help.

workspace-taken = 🙋 { $name } took this customer.

workspace-banned_staff = 🚫 Banned by { $name }: the customer's messages are no longer passed on (they are told once).

workspace-unbanned = ✅ Unbanned by { $name }: messages are passed on again.

workspace-already_banned = This customer is already banned.

workspace-already_unbanned = This customer is not banned.

workspace-no_faq = There is no FAQ entry #{ $n }. /faq lists them.

workspace-no_saved = There is no saved reply called { $name }. /faq lists them.

workspace-faq_sent = 📨 Sent to the customer ({ $what }), in their language.

workspace-faq_title = FAQ entries ({ $count }), send one with /faq N:

workspace-faq_line = { $n }. { $question }

workspace-saved_title = Saved replies ({ $count }), send one with /faq NAME, keep one with /save NAME text:

workspace-saved_line = · { $name }: { $text }

workspace-saved = 💾 Saved as { $name }. Send it with /faq { $name }.

workspace-save_unknown = Not saved: { $names } cannot be filled in. A saved reply may use { $allowed }.

workspace-usage_save = Usage: /save NAME text (NAME: a letter, then letters, digits or _).

workspace-usage_faq = Usage: /faq (the list), /faq N (an entry) or /faq NAME (a saved reply).

workspace-usage_learn = Usage: /learn N (the customer's question becomes a way of asking FAQ #N), or /learn as a reply to your answer (a new entry).

workspace-learn_nothing = There is no customer question in this topic to learn from.

workspace-learn_no_answer = Reply to your answer with /learn (or answer first): there is no answer to learn.

workspace-learned = 📚 Learned: the customer's question now asks FAQ #{ $n }; the bot answers it next time.

workspace-learned_known = FAQ #{ $n } already knows that question.

workspace-learned_new = 📚 Learned as new FAQ #{ $n }: the bot answers this question next time.

workspace-customer_fallback = there

workspace-stats_off = Statistics are not available here.

workspace-stats =
    📊 Support and review
    Claims waiting: { $waiting }
    Decided today: { $decided_today }
    Topics open: { $topics_open } · tickets open: { $tickets_open }
    Median time to first answer: { $first_answer }
    Median time to decision: { $decision }
    Rejection reasons (last { $days } days):
    { $reasons }
    Codes left:
    { $codes }

workspace-stats_none = {"  "}–

workspace-stats_reason = {"  "}{ $promotion }: { $reasons }

workspace-stats_codes = {"  "}{ $promotion }: { $count }

workspace-stats_unknown = –

workspace-stats_minutes = { $minutes } min

workspace-stats_hours = { $hours } h { $minutes } min

workspace-day-mon = Monday

workspace-day-tue = Tuesday

workspace-day-wed = Wednesday

workspace-day-thu = Thursday

workspace-day-fri = Friday

workspace-day-sat = Saturday

workspace-day-sun = Sunday

## The console chat (bot/channels/console.py)

console-intro =
    redeem-bot console chat. Type the key of a choice: its number, or b (Back), x (Cancel), s (Skip). Where a step also takes typed text, put # before the key (#2, #b).
    /photo PATH sends a picture, /quit leaves.

console-bye = Bye! Your conversation is saved; start again to continue.

console-empty = (Nothing was typed. Type your answer or the key of a choice; /quit leaves.)

console-choices_again = Where you were, your choices are still:

console-log_file = Log lines are written to { $path }, not into this chat.

## The staff desk on the command line (backend/staff_cli.py): errors in words

staff-error-invalid_transition = That is not possible: the claim's status is { $status }, so it cannot be given “{ $action }”.

staff-error-invalid_field = { $field } is missing or not valid. (A rejection with --reason other needs --text "words for the customer".)

staff-error-not_found = There is no { $what } “{ $id }”.

error-claim_id_ambiguous = “{ $id }” is the start of several claim ids: { $ids }. Type more of the id.

## the invoice pre-check and the sticker's text (issue 12): advice, never a refusal
# the invoice pre-check and the sticker's text (issue 12, h/invoice): advice, never a refusal
check-serial_text = 📷 I read { $serial } from the printed S/N label (there was no barcode I could read). Please check every character: is that your serial number?

check-serial_text_chk = 📷 I read the serial number { $serial } and the CHK code { $chk } from the printed label (there was no barcode I could read). Please check every character: is that right?

check-all_found = ✅ Invoice checked: product, date, store and invoice number found.
check-invoice_product = 🧾 The invoice shows { $invoice }, not { $registered }. Use { $invoice } as the model? (Or send a clearer photo of the invoice, or send it anyway.)
check-invoice_product_used = ✅ Model: { $model }, as the invoice shows.

check-finding-model_not_found = I can't find { $product } on this invoice: it must show the model name. Send a clearer photo, or one of the full invoice, or send it anyway.

check-finding-model_not_found_model = I can't find { $product } or { $model } on this invoice: it must show the model name. Send a clearer photo, or one of the full invoice, or send it anyway.

check-finding-date_not_found = I can't find the purchase date on this invoice. Send a photo of the full invoice with its date, or send it anyway.

check-finding-date_outside_window = This invoice is dated { $date }, outside the promotion's purchase period ({ $start } to { $end }). Only purchases in that period qualify: check that this is the right invoice, or send it anyway.

check-finding-date_differs = This invoice is dated { $date }, but the purchase date you registered is { $registered }. Correct the purchase date or send the right invoice, or send it anyway.

check-finding-store_not_found = I can't find the store { $store } on this invoice. Check the store you entered, or send a photo of the full invoice with the store's name, or send it anyway.

check-finding-number_not_found = I can't find an invoice number on this invoice. Send a photo of the full invoice, or send it anyway.

check-finding-unreadable = I can't read any text in this file. Take a photo of the whole invoice, flat and well lit, or send the invoice's PDF.

check-finding-too_small = This picture is too small to read. Take the photo closer, with the whole invoice filling it, or send it as a file to keep the full resolution.

check-finding-too_blurred = This photo is blurred. Lay the invoice flat, hold the phone steady and tap to focus, then try again, or send it as a file to keep the full resolution.

check-finding-too_dark = This photo is too dark. Take it in good light, with no shadow on the page, then try again.

check-finding-unchecked = I couldn't check this invoice just now. It is kept; the staff will check it.

# forum topics on Telegram (issue 10): the customer card at the top of a topic
topics-card-head = 👤 { $name } · language: { $language }

topics-card-member =
    🪪 Member { $member }: { $name }
    🗺 Region: { $region } · ✉️ { $email } · ☎️ { $phone }

topics-card-guest = 🪪 Not logged in (no member account linked to this chat)

topics-card-claim = · { $promotion } · { $product } · S/N { $serial }: { $status }

topics-card-no_claims = · no claims yet

topics-card-state = { $status } · taken by: { $assignee }

topics-card-open = 🟢 Open

topics-card-closed = ⚪ Closed

topics-card-creating = 🟡 Opening

topics-card-banned = 🚫 Banned

topics-card-nobody = nobody yet

topics-signed =
    { $text }
    — { $name }, support

topics-request = 💬 { $text }

topics-cancelled = ↩️ The customer withdrew their request (nothing more to answer unless they write again).

topics-card-step = 🧭 In the chat: { $step }

topics-card-invoice = 🧾 Invoice of claim { $claim }

topics-card-sn = 🔢 S/N photo of claim { $claim }

edit-hint = ✏️ I don't read edited messages. Please send the corrected answer as a new message; on a summary, use its Edit buttons.

## The review desk as cards, the code pool (issue 10, review_cards.py, review_pool.py)

notify-approved_code_soon = 🎉 Your redemption for { $promotion } is approved! Your code is on its way: you'll get it here as soon as it is issued.

status-approved_code_soon = Approved: your code follows shortly

review-fields =
    🧾 Claim { $claim }
    Promotion: { $promotion } ({ $code }), prize: { $prize }
    Product: { $product }
    S/N: { $serial } · CHK: { $chk }
    Purchased: { $date } at { $store } · region: { $region }
    Recipient: { $recipient }, { $address }, { $phone }
    Member: { $member }

review-prize_digital = code

review-prize_physical = gift (shipped)

review-tries = { $attempts ->
        [one] First try.
       *[other] Try { $attempts }.
    }

review-earlier_rejection = ↩ Rejected on { $at }: { $reason }

review-same_serial = ⚠ Same serial on another claim: { $claims }

review-same_invoice = ⚠ Same invoice on another claim: { $claims }

review-member_claims = ℹ The member's other claims ({ $count }): { $claims }

review-outcome = ➡ { $status }, decided by { $name }

review-status_under_review = Waiting for review

review-status_rejected = Rejected

review-status_approved = Approved

review-status_success = Approved, code sent

review-status_shipped = Shipped

review-reason_invoice_missing_model = Invoice: no model

review-reason_invoice_unreadable = Invoice unreadable

review-reason_invoice_missing_date_or_store = Invoice: no date/store

review-reason_sn_photo_on_package = S/N photo: package

review-reason_sn_photo_unreadable = S/N photo unreadable

review-reason_sn_mismatch = S/N does not match

review-reason_address_incomplete = Address incomplete

review-btn_approve = ✅ Approve

review-btn_reject = ❌ Reject

review-btn_other = Other…

review-btn_back = ↩ Back

review-btn_ship = 📦 Ship

review-invoice = Invoice of claim { $claim }

review-sn_photo = S/N photo of claim { $claim }

review-stale = This button is no longer valid.

review-choose_reason = Choose the reason.

review-other_asked = Write the reason as a message.

review-other_prompt = ✍ { $name }: write the reason for rejecting claim { $claim } as your next message here (it is sent to the customer). /cancel to leave it.

review-ship_asked = Send the tracking note.

review-ship_prompt = ✍ { $name }: write the tracking note for claim { $claim } as your next message here. /cancel to leave it.

review-approved_toast = Approved. The customer is told.

review-rejected_toast = Rejected. The customer is told.

review-already_decided = Already decided by { $name }: { $status }.

review-not_staff = Only support staff can decide claims. This attempt has been logged.

review-pool_waiting = ⏳ No codes left in { $promotion }: the claim is approved and waits for a code ({ $waiting } waiting). Import codes with /import { $promotion }.

review-pool_empty = 🚫 { $promotion } has no codes left. Further approvals wait for a code; import more with /import { $promotion }.

review-pool_low = ⚠ Only { $left } unused codes left in { $promotion } (warning below { $warn }). Import more with /import { $promotion }.

review-import_usage =
    Usage: /import PROMOTION, then one code per line (in the same message),
    or send a text or CSV file with /import PROMOTION as its caption.

review-imported = 📥 { $promotion }: { $added } codes added, { $known } already known or repeated; { $served } waiting claims got their code; { $left } unused left; { $junk } lines skipped (not a code).

## the S/N photo read at redemption (issue 12): a warning, never a refusal
sn_check-differs = ⚠️ The serial number on this photo, { $serial }, is not the registered one, { $registered }. Please send a photo of this product's own S/N sticker, or send it anyway.

sn_check-box = ⚠️ This looks like the box, not the product: I see barcodes but no serial number. The reviewers need the S/N sticker on the product itself. Send a photo of that sticker, close up, or send it anyway.

sn_check-not_found = ⚠️ I can't find an S/N sticker on this photo. Please send a close, sharp photo of the sticker on the product (serial number and barcode visible), or send it anyway.

## the review desk (issue 10, T4): the Review topic, questions to staff, findings, code files
review-topic_name = Review
review-btn_customer = 👤 Open customer
review-same_phone = ⚠ Same phone on another member's claim: { $claims }
review-same_address = ⚠ Same address on another member's claim: { $claims }
review-finding = ⚠ { $code }: { $claims }
review-status_awaiting_code = Approved, waiting for a code
review-approved_waiting_toast = Approved. No code left: the claim waits for an import.
review-shipped_toast = Shipped. The customer is told.
review-cancelled = Left as it was: nothing was sent for claim { $claim }.
review-answer_empty = Please write the text in words (or /cancel).
review-import_junk = Nothing imported into { $promotion }: none of the { $junk } lines looks like a code.
review-import_file_kind = Send the codes as a .txt or .csv file, one code per line.
review-import_file_unreadable = That file could not be read as text (UTF-8, at most 2 MB). Nothing was imported.
review-stats_waiting_code = { $promotion }: { $count } approved claims waiting for a code
