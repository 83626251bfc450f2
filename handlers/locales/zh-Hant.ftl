### redeem-bot：繁體中文（台灣）目錄 (zh-Hant, Project Fluent). Translated from en.ftl.
###
### 用語 (terms): 序號 (S/N)、S/N 貼紙、CHK 碼、Steam 序號／兌換碼、發票、活動、會員、
### 註冊產品、兌換、重新兌換、客服詢問、退件。Brand, model and command names stay as they are.
### Chinese has only the CLDR plural category "other": no selectors here, just the text.
### Every id of en.ftl exists here with the same parameters (a test checks it).


start-welcome =
    您好！我是 redeem-bot，MSI 的活動兌換小幫手。🎁
    我可以協助您註冊 MSI 產品、申請活動贈品（Steam 序號或實體贈品），並隨時查詢申請進度，全部在這個對話中完成。

    第一次使用？請先註冊會員。已經是 MSI 會員？請直接登入。

menu-title = 請問您想做什麼？

menu-title_guest = 請問您想做什麼？註冊或登入後，即可註冊產品並兌換活動贈品。

menu-resumed = 歡迎回來！我們從上次中斷的地方繼續，您先前輸入的資料都還保留著。

auth-required = 請先登入或註冊會員，只需要一分鐘。

auth-already = 您已經登入了。

common-use_buttons = 請點選下方的按鈕。

common-button_expired = 這個按鈕屬於先前的步驟，已經失效。以下是您目前的進度：

common-no_image_here = 謝謝，不過這個步驟不需要傳送圖片。

common-current_value = 目前的內容：{ $value }

common-empty = 我沒有收到任何文字，可以請您再輸入一次嗎？

common-unknown_command = 我不認得 /{ $command } 這個指令。輸入 /help 即可查看我能為您做什麼。

common-cancelled = 已取消「{ $what }」，先前輸入的內容都不會保留。

common-cancelled_undo = 已取消「{ $what }」。改變主意了嗎？點選「復原」即可找回您輸入的所有內容。

common-cancelled_claim_kept = 已取消「{ $what }」。您被退件的申請維持原狀，隨時可在「我的兌換申請」中重新兌換。

common-undone = 已回到「{ $what }」，先前輸入的內容都還在。

common-nothing_to_cancel = 目前沒有可以取消的項目。

edit-taken = ✏ 已改用您編輯後的回答。

edit-use_summary = 您編輯了較早的訊息，但這種方式我只會採用最新一則回答。若要修改其他資料，請使用最後摘要中的 ✏ 按鈕（或點選「上一步」）。

common-dont_understand = 抱歉，我不太明白您的意思。請從下方選擇一個選項，或到常見問題中提問。

btn-back = ◀ 上一步

btn-skip = 略過

btn-cancel = ✖ 取消

btn-confirm = ✅ 確認

btn-edit_field = ✏ { $label }

btn-keep = 保留：{ $value }

btn-other_address = ✏ 其他收件人或地址

btn-keep_phone = 📞 儲存到個人資料

btn-undo = ↩ 復原

btn-yes = 是

btn-no = 否

btn-agree = 我同意

btn-agree_continue = ✅ 我同意，繼續

btn-no_thanks = 不用了，謝謝

btn-send_to_support = 📨 傳送給客服

btn-ask_person = 🙋 詢問真人客服

btn-login_instead = 🔑 改為登入

btn-clear_field = 🗑 清除{ $label }

btn-disagree = 我不同意

btn-logout = 登出

btn-change_password = 🔑 變更密碼

btn-forgot_password = 忘記密碼？

btn-resend_code = 📨 重新寄送驗證碼

btn-menu = ☰ 選單

btn-where_to_find = ❓ 在哪裡可以找到？

btn-serial_ok = 是，沒錯

btn-serial_retype = 不對，重新輸入

btn-redeem_for = 🎁 兌換：{ $name }

btn-my_products = 📦 我的產品

btn-register_product = ➕ 註冊產品

btn-promotions = 🏷 優惠活動

btn-status = 📋 我的兌換申請

btn-redeem_again = 🔁 重新兌換

btn-redeem_again_for = 🔁 重新兌換：{ $product }

btn-claim_details = 詳細資料：{ $product }

btn-more_faq = 更多問題

btn-page_prev = ◀ 上一頁

btn-page_next = 下一頁 ▶

page-of = 第 { $page } 頁，共 { $pages } 頁

btn-support = 💬 聯絡客服

btn-cancel_request = 取消詢問

btn-close_request = 結束詢問

btn-reply_support = 💬 回覆

btn-resume = ▶ 繼續：{ $what }

btn-redeem = 🎁 兌換活動贈品

btn-profile = 👤 個人資料

btn-faq = ❓ 常見問題

btn-signup = 註冊會員

btn-login = 登入

btn-replace_image = 更換圖片

btn-retype_serial = 重新輸入

btn-new_invoice = 📄 改傳新的發票

form-signup = 會員註冊

form-login = 登入

form-register = 產品註冊

form-redeem = 活動兌換

form-again = 重新兌換

field-signup-email = 電子郵件

field-signup-first_name = 名字

field-signup-last_name = 姓氏

field-signup-region = 地區／所在地

field-signup-phone = 聯絡電話

field-signup-newsletter = 電子報

field-signup-reward_terms = MSI 會員獎勵計畫

field-register-category = 產品類別

field-register-product_name = 產品名稱

field-register-model = 型號

field-register-serial = 序號 (S/N)

field-register-chk = CHK 碼

field-register-region = 購買地區

field-register-store = 店家名稱

field-register-purchase_date = 購買日期

field-register-channel = 購買管道

field-register-invoice = 發票

field-redeem-promotion = 活動

field-redeem-product = 產品

field-redeem-sn_photo = S/N 照片

field-redeem-first_name = 名字

field-redeem-last_name = 姓氏

field-redeem-zip = 郵遞區號

field-redeem-city = 縣市／城市

field-redeem-state = 州／省／地區

field-redeem-street = 街道地址

field-redeem-unit = 大樓／樓層／室

field-redeem-phone = 聯絡電話

field-redeem-note = 備註

field-again-invoice = 發票

field-again-sn_photo = S/N 照片

field-again-serial = 序號

summary-line = { $label }：{ $value }

summary-empty = —

summary-image_received = ✓ 已收到

summary-use_buttons = 請確認，或點選欄位進行修改。

# sign up
signup-email-prompt =
    我們來建立您的 MSI 會員帳號。
    請問您的電子郵件地址是？

signup-first_name-prompt = 請問您的名字是？

signup-last_name-prompt = 請問您的姓氏是？（選填）

signup-region-prompt = 請問您所在的地區？請輸入國家或地區名稱，例如「台灣」、「香港」或「US」。

signup-phone-prompt = 請問您的聯絡電話？（選填；如可以，請加上國碼，例如 +886 2 2345 6789）

signup-newsletter-prompt = 您想訂閱 MSI 的最新資訊（電子報）嗎？

signup-reward_terms-prompt = 要加入 MSI 會員獎勵計畫（MSI Reward Program）嗎？會員可以累積點數、享有專屬優惠，並受邀參加 VIP 活動。加入即表示您同意會員獎勵計畫的條款與細則。

signup-summary-title = 請確認您的資料：

signup-email_registered = { $email } 已經有 MSI 帳號了。請使用此帳號登入（若忘記密碼，可在登入時重設），或輸入其他電子郵件地址。

signup-consent-needed = 請先同意 MSI 隱私權政策：點選您資料下方的「我同意，繼續」。

signup-summary-hint = 選填：姓氏、聯絡電話、電子報與 MSI 會員獎勵計畫（點選即可填寫或修改；其他不會再詢問）。
    必填：點選「我同意，繼續」即表示您已了解並同意 MSI 隱私權政策：{ $privacy_url }
    若加入 MSI 會員獎勵計畫，其條款與細則：{ $terms_url }

signup-password-prompt =
    請設定密碼（至少 8 個字元，需同時包含英文字母與數字）。
    🔒 為了您的安全，我讀取後會立即刪除您的訊息。

signup-password_confirm-prompt = 請再輸入一次相同的密碼以確認。

signup-done = 歡迎加入 MSI，{ $name }！您的帳號已建立完成。🎉 下一步：註冊您的產品，看看它符合哪些活動。

login-email-prompt = 登入您的 MSI 會員帳號。請問您的電子郵件地址是？

login-password-prompt =
    請輸入 { $email } 的密碼。
    🔒 我讀取後會立即刪除您的訊息。

login-done = 歡迎回來，{ $name }！

login-forgot_demo = 沒問題，MSI 客服可以協助您找回帳號。請留下一段簡短的訊息並附上您的電子郵件地址，客服人員會在這個對話中回覆您。

# email ownership (defect 10): one-time codes for sign-up and password reset
email_code-prompt = 請在這裡輸入寄到 { $email } 的 6 位數驗證碼。沒收到信嗎？請檢查垃圾郵件匣，或點「重新寄送驗證碼」。

email_code-sent = 📨 驗證碼已寄到 { $email }。

email_code-demo = 🧪 展示模式：未寄出任何郵件（此機器人未設定郵件伺服器）。{ $email } 的驗證碼是：{ $code }

email_code-wait = 驗證碼剛剛才寄出，請在 { $seconds } 秒後再申請新的驗證碼。

email_code-send_failed = 目前無法寄出郵件，請過一分鐘後再點「重新寄送驗證碼」。

email_code-start_again = 這次的註冊或密碼重設已經失效（已被新的申請取代，或嘗試次數過多），請重新開始。

email-signup-subject = 您的 MSI 會員帳號驗證碼

email-signup-body =
    { $name } 您好：

    您用來確認 MSI 會員帳號電子郵件地址的驗證碼如下：

    {"    "}{ $code }

    此驗證碼在 { $minutes } 分鐘內有效。如果您並未註冊，請忽略這封郵件：沒有這組驗證碼，任何人都無法使用您的電子郵件地址。

    MSI

email-reset-subject = 您的 MSI 密碼重設驗證碼

email-reset-body =
    { $name } 您好：

    您用來設定 MSI 會員帳號新密碼的驗證碼如下：

    {"    "}{ $code }

    此驗證碼在 { $minutes } 分鐘內有效。如果您並未提出此申請，請忽略這封郵件，您的密碼將維持不變。

    MSI

reset-started = 沒問題！如果 { $email } 有對應的 MSI 帳號，我會寄一組驗證碼到該信箱，讓您設定新密碼。

reset-done = 🔑 完成了，{ $name }：新密碼已設定，其他所有登入此帳號的對話也都已登出。您在這裡維持登入狀態。

# the customer's language (/language, and three buttons in the profile)
language-choose = 🌐 請選擇您的語言，每個按鈕都以該語言本身的名稱顯示。

language-set = 🌐 之後我會用{ $language }與您溝通。

logout-done = 您已登出。您的資料會安全地保存在 MSI，歡迎隨時再次登入。

profile-view =
    👤 您的個人資料
    電子郵件：{ $email }
    名字：{ $first_name }
    姓氏：{ $last_name }
    地區／所在地：{ $region }
    聯絡電話：{ $phone }
    電子報：{ $newsletter }
    MSI 會員獎勵計畫：{ $reward }

profile-saved = 已儲存。

profile-edit-reward_prompt = 要加入 MSI 會員獎勵計畫嗎？加入即表示您同意其條款與細則：{ $terms_url }

profile-edit-prompt = 請輸入新的「{ $label }」：

password-changed = 🔑 密碼已變更，下次登入時請使用新密碼。

password-cancelled = 已取消，您的密碼維持不變。

password-current-prompt =
    要變更密碼，請先輸入您目前的密碼。
    🔒 我讀取後會立即刪除您的訊息。

password-current-wrong = 這不是您目前的密碼。請再試一次，或返回上一步。

password-new-prompt =
    現在請設定新密碼（至少 8 個字元，需同時包含英文字母與數字）。
    🔒 我讀取後會立即刪除您的訊息。

password-new_confirm-prompt = 請再輸入一次新密碼以確認。

region-pick = 請問您指的是哪一個？請從下方選擇，或換個寫法再輸入一次。

region-no_match = 找不到名為「{ $query }」的地區。請輸入國家名稱，例如「德國」或「Germany」，或是國家代碼，例如「DE」。

region-no_match_profile = 找不到唯一符合「{ $query }」的地區。請輸入完整的國家名稱，例如「德國」。

# product registration
reg-category-prompt = 我們來註冊您的產品。請問是哪一類產品？

reg-category-invalid = 請用按鈕選擇產品類別。

reg-product_name-prompt = 請問產品名稱是？（請依包裝盒或發票上的名稱填寫，例如「MEG Z690 ACE」）

reg-model-prompt = 型號呢？（例如「MS-7D27」；型號印在貼紙上，發票上也必須有這個型號）

reg-serial-prompt =
    請問您的{ $category }序號 (S/N) 是？
    序號印在 S/N 貼紙上，例如 BA3T01946000V。您也可以直接傳送貼紙的照片，我會讀取上面的條碼。
    ⚠ 請注意區分「0」和「O」、「1」和「l」。

reg-serial_confirm-prompt =
    請確認，我讀到的序號是：

    { $serial }

    { $spelled }

    和貼紙上的完全一樣嗎？

glyph-digit_zero = 是數字零

glyph-letter_o = 是英文字母 O

glyph-digit_one = 是數字一

glyph-letter_i = 是英文字母 I

glyph-letter_l = 是英文字母 L

glyph-digit_five = 是數字五

glyph-letter_s = 是英文字母 S

glyph-digit_eight = 是數字八

glyph-letter_b = 是英文字母 B

glyph-digit_two = 是數字二

glyph-letter_z = 是英文字母 Z

reg-chk-prompt = 接下來是 CHK 碼：印在您{ $category }序號貼紙上的 3 位數代碼。

reg-chk-read_as = 我讀到的 CHK 碼是 { $value }（只取數字）。

reg-region-prompt = 請問您是在哪個地區購買的？請輸入國家名稱，或從下方選擇。

reg-region-assumed = 購買地區：{ $region }（您帳戶的地區；若不是，請在摘要中修改，或點「上一步」）。

reg-store-prompt = 請問購買店家的名稱？（例如「PChome 24h購物」、「原價屋」、「Amazon.de」）

reg-purchase_date-prompt = 請問您是什麼時候購買的？請從下方選擇，或直接輸入日期，例如 { $example } 或 { $iso }。

reg-date_confirm-prompt = 請問您指的是哪一天？

reg-channel-prompt = 請問您是在哪裡購買這項產品的？

reg-channel-invalid = 請選擇「實體門市」、「網路商店」或「經銷商」。

reg-invoice-prompt =
    最後一步：請傳送發票的照片（以照片或檔案傳送皆可：jpg、png、gif 或 webp）。
    發票上必須顯示型號、發票日期、購買店家及發票號碼，否則申請將會被退件。

reg-invoice-prompt_early =
    請傳送發票照片（以照片或檔案傳送皆可：jpg、png、gif 或 webp）：我會檢查發票，並從中讀取購買店家及購買日期。
    發票上必須顯示型號、發票日期、購買店家及發票號碼，否則申請將被退回。

reg-invoice-filled = 從您的發票讀取：購買店家 { $store }，購買日期 { $date }。如有錯誤，請在確認頁面修改。

reg-invoice-prompt_edit =
    請傳送新的發票照片（以照片或檔案傳送皆可：jpg、png、gif 或 webp），或點選「上一步」保留原本的發票。
    發票上必須顯示型號、發票日期、購買店家及發票號碼。

reg-summary-title = 您的產品：

reg-summary-hint = 確認後即可完成註冊，或點選欄位進行修改。

reg-done = ✅ 註冊完成：{ $product }（S/N { $serial }）。

reg-outlook_later = 目前無法查詢這項產品適用的活動，請稍後到「我的產品」查看。

category-laptop = 筆記型電腦

category-all_in_one = 一體成型電腦

category-desktop = 桌上型電腦

category-monitor = 螢幕

category-motherboard = 主機板

category-graphics_card = 顯示卡

category-pc_case = 機殼

category-gaming_gear = 電競周邊

category-gaming_chair = 電競椅

category-liquid_cooling = 水冷散熱器

category-power_supply = 電源供應器

channel-retail = 實體門市

channel-online = 網路商店

channel-reseller = 經銷商

date-today = 今天

date-yesterday = 昨天

date-pick = 📅 選擇其他日期

help-serial-laptop = 筆記型電腦：請將筆電翻到背面，S/N 貼紙在底蓋上（條碼旁標有「S/N」）。包裝盒上也有序號，但請以筆電本體上的為準。

help-serial-all_in_one = 一體成型電腦：S/N 貼紙在機身背面，靠近支架或 I/O 連接埠的位置。

help-serial-desktop = 桌上型電腦：S/N 貼紙在機殼背面或側板上，靠近後方 I/O 的位置。

help-serial-monitor = 螢幕：S/N 貼紙在螢幕背面，通常位於連接埠或 VESA 壁掛孔附近。

help-serial-motherboard = 主機板：S/N 貼紙在主機板本體上，通常位於 PCIe 插槽之間，或靠近 24-pin 電源接頭的板邊。只有包裝盒上的貼紙是不夠的。

help-serial-graphics_card = 顯示卡：S/N 貼紙在背板或顯示卡側面，靠近 PCIe 介面（金手指）的位置。

help-serial-pc_case = 機殼：S/N 貼紙在機殼背面，靠近 I/O 擋板或電源供應器開口的位置。

help-serial-gaming_gear = 電競周邊（滑鼠、鍵盤、耳機）：S/N 貼紙在裝置底部，或在線材的標籤上。

help-serial-gaming_chair = 電競椅：S/N 貼紙在座椅下方的底盤機構上。

help-serial-liquid_cooling = 水冷散熱器：S/N 貼紙在冷排或水冷頭（泵浦）上。

help-serial-power_supply = 電源供應器：S/N 貼紙在電源供應器側面，和額定功率標籤在一起。

help-chk-laptop = CHK 碼是筆電底部同一張 S/N 貼紙上，印在「CHK」旁邊的 3 位數字。

help-chk-all_in_one = CHK 碼是機身背面 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-desktop = CHK 碼是機殼 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-monitor = CHK 碼是螢幕背面 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-motherboard = CHK 碼是主機板 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-graphics_card = CHK 碼是顯示卡 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-pc_case = CHK 碼是機殼 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-gaming_gear = CHK 碼是裝置底部 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-gaming_chair = CHK 碼是座椅下方 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-liquid_cooling = CHK 碼是冷排或泵浦 S/N 貼紙上，「CHK」旁邊的 3 位數字。

help-chk-power_supply = CHK 碼是電源供應器 S/N 貼紙上，「CHK」旁邊的 3 位數字。

# promotions and products
promo-title = 🏷 目前開放中的活動

promo-line =
    • { $name }
    {"  "}購買期間：{ $start } 至 { $end }，兌換截止：{ $redeem_end }
    {"  "}適用產品：{ $categories }
    {"  "}贈品：{ $prize } · 每位會員最多 { $limit } 份

promo-none_open = 目前沒有開放中的活動。

promo-nothing_redeemable = 您已註冊的產品目前都無法兌換。請註冊產品，或到「我的產品」查看原因。

prize-digital = 數位序號

prize-physical = 實體贈品

product-eligible = 🎉 { $product } 符合以下活動資格：{ $promotions }。

product-not_eligible =
    { $product } 目前無法兌換活動贈品：
    { $reasons }

products-title = 📦 您的產品

products-none = 您還沒有註冊任何產品。

products-line =
    • { $product }（{ $category }，型號 { $model }）
    {"  "}S/N { $serial } · 購買日期 { $date }

products-warranty = {"  "}🛡 保固至 { $date }

products-redeemable = {"  "}✅ 可兌換：{ $promotions }

products-why_not = {"  "}✖ 目前無法兌換：

why-promo_ended = 「{ $promotion }」原本適用，但已於 { $date } 結束

why-promo_upcoming = 「{ $promotion }」將會適用：活動於 { $date } 開始

promo-upcoming_title = 🔜 即將推出

promo-opens_on = 於 { $date } 開始

promo-ended_title = ⏹ 已結束（僅供參考）

promo-ended_line =
    • { $name }（已於 { $date } 結束）
    {"  "}購買期間 { $start } 至 { $end } · 適用：{ $categories }

why-none_open = 目前沒有適用於這項產品的開放活動

why-category = { $promotion } 適用於{ $categories }，不包含{ $category }

why-model = { $promotion } 不包含型號 { $model }

why-purchase_before = 購買日期為 { $date }，早於 { $promotion } 的購買期間 { $start }..{ $end }

why-purchase_after = 購買日期為 { $date }，晚於 { $promotion } 的購買期間 { $start }..{ $end }

why-region = { $promotion } 不適用於{ $region }

why-limit = 您已達到 { $promotion } 每位會員 { $limit } 份的兌換上限

why-already_claimed = 這項產品已申請過 { $promotion }（請見「我的兌換申請」）

why-redeem_closed = { $promotion } 已於 { $end } 截止兌換

why-redeem_not_open = { $promotion } 將於 { $start } 開放兌換

# serial keys (one physical product, one registration)
why-serial_disputed = 這項產品的序號也登錄在另一項較早註冊的產品上，需要由客服人員先行確認；請聯絡客服

# redeem
redeem-nothing = 您目前沒有可以兌換的產品。

redeem-promotion_not_redeemable = 您的產品目前無法兌換這個活動。

redeem-product_not_eligible = 這項產品無法兌換此活動。

redeem-submitted =
    親愛的顧客您好：
    您的 { $promotion } 兌換申請已成功送出，目前正在處理中。所有申請都會由專人審核，可能需要 7～14 個工作天。
    感謝您耐心等候。
    請留意這個對話：狀態一有變更，結果會直接在這裡通知您，而不是透過電子郵件（因此不需要到垃圾郵件匣查看）。

redeem-promotion-prompt = 請問您想兌換哪個活動？

redeem-product-prompt = 請問要用哪項產品兌換 { $promotion }？

redeem-sn_photo-prompt = 請傳送「產品本體」上 S/N 貼紙的照片（不是包裝盒上的），並確認序號清晰可辨。

redeem-picked = 將以 { $product }（您唯一符合資格的產品）兌換 { $promotion }。（如要更改，請在下一步點選「上一步」。）

redeem-picked_registered = 🎉 符合 { $promotion } 的資格：現在就為 { $product } 兌換吧。（現在不想兌換？點「取消」：產品仍已登錄，之後可從選單的「兌換活動贈品」回來。要選其他產品？請點「上一步」。）

redeem-address-last =
    獎品將寄到您上次使用的地址：
    { $address }
    （要換一個？請點摘要下方的「其他收件人或地址」。）

redeem-address-own =
    獎品將寄給您本人：
    { $address }
    （要寄給其他人，請點「其他收件人或地址」。）

redeem-keep_phone = 要將 { $phone } 儲存為您個人資料中的聯絡電話嗎？

redeem-phone_kept = 已儲存：{ $phone } 現在是您個人資料中的聯絡電話。

redeem-first_name-prompt = 接下來是收件人資料。請問名字是？

redeem-last_name-prompt = 姓氏？

redeem-zip-prompt = 郵遞區號？（可一併輸入城市，例如「106 臺北市」。）

redeem-city-prompt = 縣市／城市？

redeem-state-prompt = 州／省／地區？（選填）

redeem-street-prompt = 街道地址？（如有大樓、樓層或室號，請一併填寫。）

redeem-unit-prompt = 大樓／樓層／室？（選填）

redeem-phone-prompt = 聯絡電話？

redeem-note-prompt = 有什麼想告訴 MSI 的嗎？（選填備註）

redeem-product_summary = { $product } · { $serial }（{ $category }，購買日期 { $date }，{ $region }）

redeem-summary-title = 請確認您的兌換資料：

redeem-summary-hint = 確認後即可送出兌換申請，或點選欄位進行修改。

again-intro = 我們來修正您的申請。退件原因是：{ $reason }

again-fields_hint = 請依照退件原因修改需要的項目，再按確認；其他資料都會保留。

again-not_rejected = 這筆申請無法重新兌換：目前狀態為「{ $status }」。

again-summary = 即將附上新的{ $what }，將 { $promotion } 重新送審。其他資料維持不變。

again-summary_serial = 即將以序號 { $serial } 將 { $promotion } 重新送審。其他資料維持不變。

again-invoice-prompt = 請為 { $promotion } 傳送一張新的發票照片。發票上必須顯示型號、發票日期、購買店家及發票號碼。

again-serial-prompt = 請輸入您用於 { $promotion } 的產品序號，務必與產品本體 S/N 貼紙上的完全相同。⚠ 請注意區分「0」和「O」、「1」和「l」。

again-sn_photo-prompt = 請為 { $promotion } 重新傳送產品本體（不是包裝盒）上 S/N 貼紙的照片。

again-nothing_changed =
    目前尚未做任何變更：地址與照片仍是先前審核過的內容。退件原因：{ $reason }
    請點選要修改欄位旁的 ✏（例如街道或郵遞區號），修改後再確認送出。

again-same_serial = { $serial } 是先前已審核過的序號。請依產品上 S/N 貼紙所示完整輸入序號，且必須與先前送出的不同。

again-same_sn_photo = 這是先前已審核過的同一張照片。請重新拍攝產品本體（而非包裝盒）上的 S/N 貼紙。

again-same_invoice = 這是先前已審核過的同一張發票圖片。請傳送一張新的清晰發票照片，須顯示型號、發票日期、購買店家及發票號碼。

# status
status-title = 📋 您的兌換紀錄

status-none = 您還沒有任何兌換紀錄。

status-line =
    • { $date } · { $promotion }
    {"  "}{ $product } / { $serial }
    {"  "}狀態：{ $status }

status-under_review = 兌換資格審核中

status-rejected = 已退件

status-rejected_with = 已退件：{ $reason }

status-approved = 已核准

status-approved_physical = 已核准：贈品將於 8～12 週內寄出

status-success = 兌換成功

status-shipped = 已寄出

status-shipped_tracking = 已寄出（追蹤編號：{ $tracking }）

status-detail_product = {"  "}{ $category } · 購買日期 { $date } · { $region }

status-detail_dates = {"  "}送出日期 { $submitted } · 目前狀態自 { $changed } 起

status-history_title = {"  "}處理歷程：

status-history_line = {"    "}{ $date } · { $status }

status-history_sent = 已送出

status-history_sent_again = 退件後重新送出

status-code = 您的序號：{ $code }

reason-invoice_missing_model = 請提供印有產品名稱（型號）的發票。

reason-invoice_unreadable = 發票照片無法辨識，請重新拍攝整張發票，並傳送更清晰的照片。

reason-invoice_missing_date_or_store = 發票上必須顯示購買日期和購買店家，請提供符合條件的發票。

reason-sn_photo_on_package = S/N 照片拍到的是包裝盒，請拍攝產品本體上的 S/N 貼紙。

reason-sn_photo_unreadable = S/N 照片無法辨識，請重新傳送更清晰的貼紙照片。

reason-sn_mismatch = 照片中的序號與註冊的序號不符，請再確認一次。

reason-address_incomplete = 收件地址不完整，請補齊資料。

reason-other = 請檢查您的申請內容。

# notifications
notify-rejected =
    很抱歉，您的 { $promotion } 兌換申請需要修正。
    原因：{ $reason }
    請點「重新兌換」，只需補正原因中提到的部分即可。

notify-success =
    🎉 感謝您購買 MSI® 產品！
    您的 { $promotion } 啟用序號為：

    { $code }

    啟用方式：{ $activation }

notify-activation_default = 開啟 Steam，在「遊戲」選單中選擇「在 Steam 上啟用產品」，然後輸入序號。

# the vendor's activation help is in English: other languages show this, with its link
notify-activation_see = 說明：{ $url }

notify-approved_physical = 🎉 您的 { $promotion } 兌換申請已核准！贈品將於 8～12 週內送達。

notify-shipped = 📦 您的 { $promotion } 贈品已寄出。物流追蹤編號：{ $tracking }

# FAQ
faq-title = ❓ 常見問題。請選擇一個問題，或直接輸入您的問題。

faq-answer =
    ❓ { $question }

    { $answer }

faq-no_match = 找不到符合的問題。請從下方選擇，或聯絡客服。

faq-no_promotion-q = 為什麼我的產品沒有可參加的活動？

faq-no_promotion-a =
    1. 請確認您的產品是否為活動適用機型。
    2. 請確認發票日期是否在活動期間內。
    3. 請確認您居住的地區是否為活動適用地區。
    4. 請確認您是向所在地區的 MSI 合作通路購買產品。
    「我的產品」會列出每項產品無法兌換的確切原因。

faq-no_promotion-keywords = 沒有活動, 沒活動, 找不到活動, 看不到活動, 不符合, 不符資格, 符合資格, 適用機型, 為什麼沒有, 不能兌換, 無法兌換, 不能換, 沒有資格

faq-incomplete-q = 我的申請資料不完整或被退件了，該怎麼辦？

faq-incomplete-a =
    請確認您已提供：
    1. 發票／購買證明，需載明購買日期、購買店家與型號。
    2. 產品本體上的 S/N 照片，而不是包裝盒上的。
    請開啟「我的兌換申請」並點「重新兌換」，只需重新上傳缺少的部分即可。

faq-incomplete-keywords = 不完整, 退件, 被退, 駁回, 被拒絕, 缺少, 補件, 重新兌換, 重新上傳, 重傳, 失敗, 沒通過, 未通過

faq-how_long-q = 審核需要多久？什麼時候可以收到贈品？

faq-how_long-a = 數位序號：需要 7～14 個工作天審核。實體贈品：兌換核准後 8～12 週內送達。狀態有變更時，我會在這裡通知您。

faq-how_long-keywords = 多久, 要多久, 什麼時候, 何時, 幾天, 幾週, 多少天, 等待, 等很久, 還沒收到, 寄送, 出貨, 收到贈品, 收到序號, 拿到序號, 多久收到, 工作天, 處理中, 審核中

faq-no_email-q = 我沒有收到任何電子郵件。

faq-no_email-a = 所有通知（包括您的序號）也都會傳到這個對話中。如果您在等電子郵件，請檢查垃圾郵件、垃圾桶或封存資料夾，並確認您的郵件篩選設定。

faq-no_email-keywords = email, e-mail, 電子郵件, 郵件, 信箱, 收件匣, 垃圾郵件, 沒收到信, 沒有收到信, 收不到信, 沒有信

faq-find_serial-q = 序號 (S/N) 在哪裡？

faq-find_serial-a = 在產品本體的 S/N 貼紙上（例如 BA3T01946000V）。註冊產品時，在輸入序號的步驟點「在哪裡可以找到？」，就能看到您產品類別的說明。

faq-find_serial-keywords = 序號, s/n, sn, 產品序號, 序號在哪, 在哪裡, 哪裡找, 找不到序號, 貼紙, 條碼

faq-chk-q = 什麼是 CHK 碼？

faq-chk-a = CHK 碼是印在產品序號貼紙上、「CHK」旁邊的 3 位數代碼。

faq-chk-keywords = chk, chk碼, chk 碼, 檢查碼, 3位數, 三位數, 3 位數

faq-invoice-q = 發票上必須有哪些資訊？

faq-invoice-a = 型號、發票日期、購買店家（通路）及發票號碼。請以照片或圖片檔（jpg、png、gif、webp）傳送；我會自動幫您把圖片縮小到原廠規定的 1600 px 上限。

faq-invoice-keywords = 發票, 電子發票, 收據, 購買證明, 購買憑證, 明細, 上傳發票, 單據

faq-limit-q = 我可以兌換幾次？

faq-limit-a = 每個活動都有每位會員的兌換上限（多數活動為每個電子郵件帳號 2 份），而且每項產品在同一個活動中只能申請一次。

faq-limit-keywords = 幾次, 多少次, 上限, 限制, 兌換次數, 兩次, 兩個產品, 兩台, 多台, 好幾個

faq-zero_o-q = 我的序號裡是 0 還是 O？是 1 還是 l？

faq-zero_o-a = MSI 序號除了開頭幾個字元之外，大多是數字：通常是「0」（零）而不是「O」，「1」（一）而不是「l」或「I」。如果您的序號中有這類字元，我會顯示我讀到的內容，讓您確認。

faq-zero_o-keywords = 0還是o, 序號是, 0和o, 1和l, 數字0, 數字零, 字母o, 英文字母, 分不清, 搞混, 看錯

# support
support-compose = 💬 請輸入您要詢問 MSI 客服的問題，客服人員會在這個對話中回覆您。

support-sent = 已轉交給客服團隊。目前尚未有人回覆；客服一回覆，我就會在這裡通知您（通常在一個工作天內）。

support-waiting = 您的客服詢問仍在處理中。您現在輸入的內容都會加到這筆詢問裡，MSI 客服的回覆也會顯示在這裡。

support-added = 已加到您的客服詢問中。

support-closed = 您的客服詢問已結束，謝謝您！

support-cancelled = 已取消：您的客服詢問已撤回，不會有人回覆。之後若需要協助，請在選單中選擇「聯絡客服」。

support-none_open = 您目前沒有進行中的客服詢問。

support-answer =
    💬 MSI 客服：
    { $text }

support-image_note = （圖片）

support-compose_cancelled = 已取消：沒有傳送任何內容給客服。

support-image_dropped = 好的，我不會傳送這張圖片。

support-image_offer = 謝謝您的圖片。目前這個步驟不需要圖片：要將它傳送給我們的客服團隊嗎？（若要登錄產品或兌換，請先在選單中選擇。）

support-closed_by_staff = ✅ MSI 客服已結束您的詢問。如需其他協助，請在選單中選擇「聯絡客服」。

# words typed for buttons
# comma-separated; a customer who types one of these gets the button it names
typed-back = 返回, 上一步, 回上一步, 回上頁, 上一頁

typed-skip = 略過, 跳過, 沒有, 無, 不用, 不需要

typed-cancel = 取消, 停止, 中止, 不要了, 算了

typed-confirm = 確認, 確定, 好, 好的, 對, 沒錯, 是, 正確, 送出, ok

typed-keep = 保留, 不變, 一樣, 不用改, 維持

typed-support = 客服, 真人, 人工, 專人, 支援, 服務人員, 客戶服務, support

# the channel's command menu
command-start = 啟動或重新啟動小幫手

command-menu = 顯示主選單

command-status = 查看我的兌換申請狀態

command-help = 目前步驟的說明

command-cancel = 取消目前的操作

command-language = 變更語言

# help
help-general = 我可以協助您註冊 MSI 產品及兌換活動贈品。請使用按鈕，或隨時使用以下指令：

help-commands = /menu 主選單 · /status 您的兌換申請 · /cancel 取消目前的操作 · /language 變更語言 · /help 本說明

help-form-signup = 您正在建立 MSI 會員帳號。請逐一回答問題，隨時都可以返回上一步或取消。您的密碼絕不會保存在這個對話中。

help-form-register = 您正在註冊產品。您會需要產品上的 S/N 貼紙（序號和 CHK 碼）以及您的發票。

help-form-redeem = 您正在兌換活動贈品。您會需要產品上 S/N 貼紙的照片，以及收件人的地址。

help-form-again = 您正在退件後重新兌換：只需提供退件原因中要求的資料即可。

# images
image-expected = 請在這裡傳送圖片（以照片或檔案傳送皆可）。

image-received = 收到了，謝謝。📎

image-album_first = 您一次傳送了 { $count } 張圖片，我先使用第一張。如果選錯了，請在最後確認資料時重新傳送正確的圖片。

image-too_large = 檔案太大了（上限為 { $max_mb } MB），請傳送較小的圖片。

image-download_failed = 我無法下載這個檔案，請再傳送一次。

image-unsupported = 我無法使用這種檔案。請傳送照片或圖片檔（{ $formats }）。

image-not_image = 這個檔案不是圖片。請傳送照片或圖片檔（jpg、png、gif 或 webp）。

image-corrupt = 這張圖片似乎已經損毀，無法開啟，請再傳送一次。

image-bomb = 這張圖片的像素尺寸過大，無法處理，請傳送一般的照片。

image-too_small = 這張圖片太小，無法辨識（至少需要 { $min_px } px）。請傳送更清晰、更大的照片。

# images: worker pool and per-chat rate (storage/image_pool.py, handlers/images.py)
image-busy = 我目前正在處理大量圖片，請稍後再傳送一次。

image-slow_down = 您傳送圖片的速度比我處理的速度還快。請稍候 { $seconds } 秒再傳送一次。

# validation
invalid-email = 這看起來不像電子郵件地址，請再檢查一下，例如 name@example.com。

invalid-password_short = 密碼長度至少需要 { $min } 個字元。

invalid-password_weak = 密碼請同時包含英文字母與數字。

invalid-password_personal = 請不要在密碼中使用您的電子郵件地址或姓名：這是別人最先會嘗試的內容。

invalid-password_common = 這個密碼（或非常相似的密碼）在攻擊者最先嘗試的常見密碼清單上。請改用其他密碼，例如三、四個不相關的單字再加上一個數字。

invalid-password_guessable = 這個密碼太容易被猜到（短單字加數字、鍵盤上連續的按鍵或日期）。請設定較長的密碼，例如三、四個不相關的單字再加上一個數字。

invalid-password_long = 這個密碼太長了（最多 { $max } 個字元）。

invalid-password_mismatch = 兩次輸入的密碼不一致，我們再試一次。

# password digest at rest (defect 9)
invalid-password_expired = 間隔的時間有點久，我已清除您第一次輸入的密碼。請重新設定密碼。

invalid-name = 請輸入姓名（只能使用文字，最多 50 個字元）。

invalid-phone = 這看起來不像電話號碼。請加上國碼，例如 +886 2 2345 6789。

invalid-zip = 這看起來不是您所在地區的有效郵遞區號。

invalid-zip_format = 這看起來不像您所在地區的郵遞區號：當地的格式例如 { $example }。

invalid-city_is_zip = 這看起來是郵遞區號，而不是城市名稱。請輸入城市或鄉鎮的名稱。

invalid-text_empty = 請輸入內容。

invalid-text_long = 內容太長了，請控制在 { $max } 個字元以內。

invalid-chk = CHK 碼是 3 位數字，印在 S/N 貼紙上「CHK」的旁邊。

invalid-serial = 這看起來不像 MSI 的產品序號。序號印在 S/N 貼紙上，例如 { $example }。如果不確定，請點「在哪裡可以找到？」。

invalid-date = 我無法辨識這個日期，請試試這樣的寫法：{ $examples }。

invalid-date_no_such_day = 這一天不存在：該月份沒有這麼多天。請檢查日期。

invalid-date_future = 這是未來的日期，請確認購買日期。

invalid-date_too_old = 這個日期已經超過 { $years } 年了，請確認購買日期。

invalid-yesno = 請回答「是」或「否」。

invalid-region = 找不到這個地區，請輸入國家名稱，例如「德國」。

invalid-category = 請用按鈕選擇產品類別。

invalid-channel = 請選擇「實體門市」、「網路商店」或「經銷商」。

# errors
error-unexpected = 抱歉，系統發生錯誤。您輸入的資料都沒有遺失，請再試一次。

error-backend = 活動服務發生問題，請稍後再試；您輸入的資料都沒有遺失。

error-backend_unavailable = 目前無法連線到活動服務，請過幾分鐘再試；您輸入的資料都沒有遺失。

error-email_taken = 這個電子郵件已經註冊過 MSI 帳號，請直接登入。

error-invalid_credentials = 電子郵件或密碼不正確，請再試一次。

error-account_locked = 嘗試失敗次數過多，此帳號已鎖定 { $minutes } 分鐘，請稍後再試。

# email ownership (defect 10)
error-email_not_verified = 您的電子郵件地址尚未確認，因此帳號尚未啟用。

error-code_wrong = 驗證碼不正確，還剩 { $tries_left } 次機會。

error-code_expired = 驗證碼已過期或已失效。請點「重新寄送驗證碼」取得新的驗證碼。

error-code_tries_used = 驗證碼輸入錯誤次數過多。請點「重新寄送驗證碼」取得新的驗證碼。

# accounts attack review: wrong codes counted per account across every code sent
error-code_tries_today = 此帳號的驗證碼輸入錯誤次數過多。為了保護帳號安全，接下來 24 小時內將不接受任何驗證碼，請明天再試。

error-resend_too_soon = 驗證碼剛剛才寄出，請在 { $seconds } 秒後再申請新的驗證碼。

error-serial_taken = 序號 { $serial } 已被其他帳號註冊。如果這是您的產品，請聯絡客服；我們已記錄此情況，並交由專人處理。

error-serial_taken_mine = 您已經註冊過序號 { $serial }，請到「我的產品」查看。

error-not_eligible = 這項產品無法兌換 { $promotion }：

error-limit_reached = 您已達到此活動 { $limit } 份的兌換上限。

error-not_found = 找不到這個項目，可能已被移除。

error-invalid_transition = 這筆申請目前的狀態無法進行此操作。

error-no_codes_left = 此活動目前已無可發放的序號。

error-invalid_field = 您輸入的部分內容（{ $field }）未被接受，請檢查後再試一次。

error-consent_required = 您必須同意 MSI 隱私權政策，我們才能為您建立帳號。

error-idempotency_conflict = 這個請求已經用於其他操作，請重新開始。

# serial keys (staff: approving a claim on a disputed serial)
error-serial_disputed = 申請 { $claim }：此產品的序號也登錄在另一項產品上（請見 /conflicts 或 `redeem-bot review conflicts`）。請先處理該衝突；若這筆申請是重複的，請予以退件。

error-serial_locked = 這項產品已有其他申請，因此無法在這裡變更序號。如果貼紙上的序號不同，請聯絡客服，我們會與您一起確認。

media-error = 目前無法儲存這張圖片，請再傳送一次。

media-invalid_ref = 已經找不到這張圖片，請再傳送一次。

media-not_found = 已經找不到這張圖片，請再傳送一次。

media-corrupt = 這張圖片在儲存時損毀了，請再傳送一次。

# staff (the staff chat)
staff-help =
    客服指令：
    /queue · 待審核的申請
    /show 申請編號 · 查看單筆申請及其圖片
    /approve 申請編號
    /reject 申請編號 原因代碼 [說明] · 原因代碼：/reasons
    /ship 申請編號 [物流追蹤編號]
    /conflicts · 重複註冊的序號
    /tickets · 進行中的客服詢問
    /reply 詢問編號 內容 · 或直接回覆轉發的訊息
    /close 詢問編號

staff-failed = ⚠ /{ $command } 執行失敗，請查看機器人的日誌。

staff-queue_empty = 沒有待審核的申請。

staff-queue_title = { $count } 筆申請待審核：

staff-queue_title_capped = 超過 { NUMBER($count, useGrouping: "true") } 筆申請待審核：

staff-more = …還有 { $count } 筆

staff-queue_next = 下一頁：/queue { $claim }

staff-claim_line = { $claim } · { $at } · { $promotion } · 第 { $attempts } 次送審 · { $product } / { $serial }

staff-claim =
    申請：{ $claim }
    狀態：{ $status }
    活動：{ $promotion }（{ $code }）
    贈品：{ $prize }
    產品：{ $product }
    序號：{ $serial }
    送審次數：{ $attempts }
    送出時間：{ $submitted }

staff-claim_reason = 原因：{ $reason }

staff-invoice = 發票 · { $claim }

staff-sn_photo = S/N 照片 · { $claim }

staff-no_claim = 找不到申請「{ $claim }」。用法：/show 申請編號

staff-usage_approve = 用法：/approve 申請編號

staff-approved = ✅ { $claim }：{ $status }。已在對話中通知顧客。

staff-usage_reject =
    用法：/reject 申請編號 原因代碼 [說明]
    原因代碼：{ $reasons }

staff-unknown_reason =
    未知的原因代碼「{ $reason }」。
    原因代碼：{ $reasons }

staff-rejected = ❌ { $claim }：已退件（{ $reason }）。已通知顧客需要修正的內容。

staff-reasons = 原因代碼：{ $reasons }

staff-tickets_empty = 沒有進行中的客服詢問。

staff-tickets_title = { $count } 筆進行中的詢問：

staff-ticket_line = #{ $ticket } · { $at } · 顧客 { $customer }

staff-usage_reply = 用法：/reply 詢問編號 內容

staff-no_ticket = 找不到客服詢問 #{ $ticket }。

staff-ticket_closed = #{ $ticket } 已結束；顧客可以提出新的詢問。

staff-reply_sent = ↪ 已傳送給 #{ $ticket } 的顧客。

staff-usage_close = 用法：/close 詢問編號

staff-closed = 已結束 #{ $ticket }，並已通知顧客。

staff-not_open = #{ $ticket } 並非進行中的詢問。

staff-forward =
    💬 客服詢問 #{ $ticket } · 顧客 { $customer }

    { $text }

    直接回覆這則訊息即可答覆，或使用 /reply { $ticket } 內容 · /close { $ticket }

# serial keys: /conflicts (serials registered twice)
staff-conflicts_empty = 沒有序號衝突。

staff-conflicts_title = 序號衝突，由新到舊（共 { $count } 筆）：

staff-conflict_line = { $at } · { $origin } · { $serial } · 會員 { $member }（產品 { $other }）→ 擁有者 { $owner } / 產品 { $product }

# staff authority and audit trail (h/staff)
staff-not_staff = ⛔ 只有客服人員可以在這裡使用 /{ $command }。這次嘗試已被記錄。

staff-check_failed = ⚠ 目前無法向聊天平台確認您的客服權限，請過一分鐘再試。

staff-usage_ship = 用法：/ship 申請編號 [物流追蹤編號]

staff-shipped = 📦 { $claim }：已寄出（物流追蹤編號：{ $tracking }）。已通知顧客。

staff-history_title = 處理紀錄：

staff-findings_title = 檢查結果：

staff-finding_line = · { $code }（其他申請：{ $other }）

staff-history_line = · { $at } { $action }，處理人：{ $name }（{ $actor }）{ $details }

staff-text_only = 未送出：只有文字能傳給 #{ $ticket } 的顧客。請再回覆一次對方的訊息，並用文字作答。

# sessions: log-ins ended by a password change or "Log out everywhere"
sessions-ended = 🔒 您在這裡已被登出：此帳號的密碼已變更，或有人選擇了「全部登出」。如果是您本人操作，請直接重新登入；如果不是，請用目前的密碼登入並變更密碼。

sessions-others_ended = 為了您的安全，我已將您在其他 { $count } 個對話中的登入全部登出；這些對話需要使用新密碼才能重新登入。

sessions-everywhere_done = 🚪 您已在所有地方登出，包括這個對話和其他所有對話。歡迎隨時再次登入。

btn-sessions-logout_everywhere = 🚪 全部登出

# Telegram receive path (per-chat bound): one answer per flood of messages
telegram-slow_down = 您傳送訊息的速度比我回覆的速度還快，所以我略過了其中幾則。我會逐一回覆已收到的訊息，請等我回覆後再繼續傳送。

# the serial from the sticker photo (issue 12, h/sticker): read by its barcode at the S/N step
reg-serial_photo-confirm = 📷 我從條碼讀到 { $serial }。這是您的序號嗎？

reg-serial_photo-confirm_chk = 📷 我從條碼讀到序號 { $serial } 和 CHK 碼 { $chk }。這樣正確嗎？

reg-serial_photo-not_found = 我在這張照片中讀不到序號條碼。請直接輸入序號，或傳送更清晰的照片：近距離拍攝產品本體上的 S/N 貼紙，保持平整、光線充足。

reg-serial_photo-busy = 我目前無法讀取照片。請直接輸入序號，或稍後再傳一次照片。

reg-serial_photo-off = 請依照 S/N 貼紙上印的內容輸入序號。

btn-sticker-ok = 是

btn-sticker-type = 不是，我自己輸入

reg-serial_photo-taken = 📷 序號 { $serial }：從條碼讀取，內容準確。（不是您的貼紙？請點「修改」。）

reg-serial_photo-taken_chk = 📷 序號 { $serial } 和 CHK 碼 { $chk }：從條碼讀取，內容準確。（不是您的貼紙？請點「修改」。）

btn-sticker-change = ✏ 修改

redeem-sn_photo-from_sticker = 📷 S/N 照片將使用您剛才傳送的貼紙照片：其條碼顯示的正是已登錄的序號。（要換一張照片？請點按鈕。）

btn-sn_photo-another = 📷 傳送另一張 S/N 照片

summary-sticker_photo = ✓ 您登錄時傳送的貼紙照片

btn-invoice-send_anyway = 仍然送出
btn-invoice-use_model = 使用 { $model }

sticker-finding-no_barcode = 找不到 Code128 條碼

sticker-finding-no_serial = 有找到條碼，但都不是原廠格式的序號

sticker-finding-several_serials = 條碼中有兩個不同的序號

sticker-finding-unconfirmed = 序號條碼只讀到一次，沒有第二次讀取確認（模糊的條碼可能被解成另一個有效的值）

sticker-finding-unreadable = 無法讀取的圖片（格式、尺寸或檔案損毀）

sticker-finding-busy = 所有讀取程序都在忙碌中

sticker-finding-timeout = 未能在時限內讀取

sticker-finding-failed = 條碼讀取程式發生錯誤

## The console chat (bot/channels/console.py)

console-intro =
    redeem-bot 主控台聊天。輸入選項的按鍵：它的編號，或 b（返回）、x（取消）、s（略過）。若該步驟也接受文字輸入，請在按鍵前加上 #（#2、#b）。
    /photo 路徑 可傳送圖片，/quit 離開。

console-bye = 再見！您的對話已保存；再次啟動即可繼續。

console-empty = （您沒有輸入任何內容。請輸入您的回答或選項的按鍵；/quit 離開。）

console-choices_again = 您剛才所在的步驟，選項仍然是：

console-log_file = 記錄會寫入 { $path }，不會出現在此聊天中。

## The staff desk on the command line (backend/staff_cli.py): errors in words

staff-error-invalid_transition = 無法執行：此申請目前的狀態是 { $status }，因此不能進行「{ $action }」。

staff-error-invalid_field = { $field } 未填寫或無效。（以 --reason other 駁回時，需要加上 --text "給客戶的說明"。）

staff-error-not_found = 找不到 { $what }「{ $id }」。

error-claim_id_ambiguous = 「{ $id }」是多個申請編號的開頭：{ $ids }。請輸入更多的編號字元。

# Telegram 論壇主題（議題 10）：主題頂端的客戶資料卡
topics-card-head = 👤 { $name } · 語言：{ $language }

topics-card-member =
    🪪 會員 { $member }：{ $name }
    🗺 地區：{ $region } · ✉️ { $email } · ☎️ { $phone }

topics-card-guest = 🪪 未登入（此聊天未連結任何會員帳號）

topics-card-claim = · { $promotion } · { $product } · 序號 { $serial }：{ $status }

topics-card-no_claims = · 尚無兌換申請

topics-card-state = { $status } · 負責人：{ $assignee }

topics-card-open = 🟢 處理中

topics-card-closed = ⚪ 已結案

topics-card-creating = 🟡 開啟中

topics-card-banned = 🚫 已封鎖

topics-card-nobody = 尚無人接手

topics-signed =
    { $text }
    — { $name }，客服團隊

topics-request = 💬 { $text }

topics-cancelled = ↩️ 客戶已撤回請求（除非客戶再次來訊，無需回覆）。

topics-card-step = 🧭 目前在對話中的步驟：{ $step }

topics-card-invoice = 🧾 申請 { $claim } 的發票

topics-card-sn = 🔢 申請 { $claim } 的 S/N 照片

edit-hint = ✏️ 我不會讀取已編輯的訊息。請將更正後的答案以新訊息傳送；在摘要中請使用「編輯」按鈕。

## 審核卡片與序號庫存（Issue 10，review_cards.py、review_pool.py）

notify-approved_code_soon = 🎉 您的 { $promotion } 兌換申請已核准！兌換碼即將發放，一經發出會立即在此通知您。

status-approved_code_soon = 已核准：兌換碼即將發放

review-fields =
    🧾 申請 { $claim }
    活動：{ $promotion }（{ $code }），贈品：{ $prize }
    產品：{ $product }
    序號：{ $serial } · CHK：{ $chk }
    購買：{ $date }，{ $store } · 地區：{ $region }
    收件人：{ $recipient }，{ $address }，{ $phone }
    會員：{ $member }

review-prize_digital = 兌換碼

review-prize_physical = 實體贈品（寄送）

review-tries = { $attempts ->
       *[other] 第 { $attempts } 次提交。
    }

review-earlier_rejection = ↩ { $at } 遭退件：{ $reason }

review-same_serial = ⚠ 其他申請使用相同序號：{ $claims }

review-same_invoice = ⚠ 其他申請使用相同發票：{ $claims }

review-member_claims = ℹ 該會員的其他申請（{ $count }）：{ $claims }

review-outcome = ➡ { $status }，由 { $name } 決定

review-status_under_review = 等待審核

review-status_rejected = 已退件

review-status_approved = 已核准

review-status_success = 已核准，兌換碼已發送

review-status_shipped = 已寄出

review-reason_invoice_missing_model = 發票：缺少型號

review-reason_invoice_unreadable = 發票無法辨識

review-reason_invoice_missing_date_or_store = 發票：缺少日期或店家

review-reason_sn_photo_on_package = 序號照片：拍到包裝

review-reason_sn_photo_unreadable = 序號照片無法辨識

review-reason_sn_mismatch = 序號不符

review-reason_address_incomplete = 地址不完整

review-btn_approve = ✅ 核准

review-btn_reject = ❌ 退件

review-btn_other = 其他原因…

review-btn_back = ↩ 返回

review-btn_ship = 📦 寄出

review-invoice = 申請 { $claim } 的發票

review-sn_photo = 申請 { $claim } 的序號照片

review-stale = 此按鈕已失效。

review-choose_reason = 請選擇退件原因。

review-other_asked = 請以訊息寫下原因。

review-other_prompt = ✍ { $name }：請在此以下一則訊息寫下退回申請 { $claim } 的原因（將傳送給顧客）。輸入 /cancel 可取消。

review-ship_asked = 請傳送物流追蹤資訊。

review-ship_prompt = ✍ { $name }：請在此以下一則訊息寫下申請 { $claim } 的物流追蹤資訊。輸入 /cancel 可取消。

review-approved_toast = 已核准，已通知顧客。

review-rejected_toast = 已退件，已通知顧客。

review-already_decided = 已由 { $name } 決定：{ $status }。

review-not_staff = 只有客服人員可以審核申請。此次操作已記錄。

review-pool_waiting = ⏳ { $promotion } 已無兌換碼：此申請已核准，正在等待兌換碼（共 { $waiting } 筆等待中）。請以 /import { $promotion } 匯入兌換碼。

review-pool_empty = 🚫 { $promotion } 的兌換碼已用完。之後核准的申請會等待兌換碼；請以 /import { $promotion } 匯入。

review-pool_low = ⚠ { $promotion } 只剩 { $left } 組未使用的兌換碼（低於 { $warn } 時提醒）。請以 /import { $promotion } 匯入更多。

review-import_usage =
    用法：/import 活動代碼，接著每行一組兌換碼（同一則訊息），
    或傳送文字檔或 CSV 檔，並以 /import 活動代碼 作為說明文字。

review-imported = 📥 { $promotion }：新增 { $added } 組兌換碼，{ $known } 組已存在或重複；{ $served } 筆等待中的申請已取得兌換碼；尚餘 { $left } 組未使用；略過 { $junk } 行（不是兌換碼）。

## the staff workspace: a topic per customer (handlers/workspace)
workspace-topic_name = { $name } · { $who } · { $language }

workspace-reopened = 🔓 顧客再次來訊：此主題已重新開啟。

workspace-banned = 感謝您的來訊。很抱歉，我們的客服團隊無法再於這個對話中接收您的訊息。

workspace-answer_soon = 客服人員將盡快在這裡回覆您。

workspace-answer_today = 我們的客服團隊目前不在線上，將於今天 { $time } 起回覆您。

workspace-answer_from = 我們的客服團隊目前不在線上，將於{ $day } { $time } 起回覆您。

workspace-handoff =
    ❓ 顧客提問（常見問題中沒有明確的答案）：
    { $question }

workspace-handoff_near = · 最接近的常見問題 #{ $n }：{ $question }（傳送：/faq { $n }）

workspace-handoff_none = · 沒有相近的常見問題（回覆後使用 /learn 即可新增一則）

workspace-closed = 您的客服詢問已結束。您對這次的服務滿意嗎？請點選星星評分（1 到 5 顆星）。

workspace-rate_invalid = 這個評分按鈕已經失效。

workspace-rated_already = 您已經為這次詢問評分過了，謝謝您！

workspace-rated = 感謝您給我們 { $stars } 顆星（滿分 5 顆星）的評價！

workspace-sla_reminder = ⏰ 這位顧客已等候 { $minutes } 分鐘，尚未獲得回覆。

workspace-staff_answer = { $text }

workspace-not_relayed = ⛔ 只有客服人員可以在這裡回覆顧客；您的訊息並未轉交。這次嘗試已被記錄。

workspace-is_banned = 這位顧客已被封鎖：任何訊息都不會轉交。請先使用 /unban。

workspace-not_open = 此主題目前未開啟。

workspace-not_open_answer = 未送出：此主題已結束。顧客再次來訊時，主題會重新開啟。

workspace-closed_by = ✅ 已由 { $name } 結束。已通知顧客，顧客可以為這次的協助評分。

workspace-taken = 🙋 { $name } 已接手這位顧客。

workspace-banned_staff = 🚫 已由 { $name } 封鎖：顧客的訊息將不再轉交（系統會通知顧客一次）。

workspace-unbanned = ✅ 已由 { $name } 解除封鎖：訊息將恢復轉交。

workspace-already_banned = 這位顧客已經被封鎖了。

workspace-already_unbanned = 這位顧客並未被封鎖。

workspace-no_faq = 沒有常見問題 #{ $n }。輸入 /faq 即可查看清單。

workspace-no_saved = 沒有名為 { $name } 的預存回覆。輸入 /faq 即可查看清單。

workspace-faq_sent = 📨 已用顧客的語言傳送給顧客（{ $what }）。

workspace-faq_title = 常見問題（共 { $count } 則），使用 /faq N 傳送其中一則：

workspace-faq_line = { $n }. { $question }

workspace-saved_title = 預存回覆（共 { $count } 則），使用 /faq 名稱 傳送，使用 /save 名稱 內容 新增：

workspace-saved_line = · { $name }：{ $text }

workspace-saved = 💾 已儲存為 { $name }。使用 /faq { $name } 即可傳送。

workspace-save_unknown = 未儲存：無法填入 { $names }。預存回覆可以使用 { $allowed }。

workspace-usage_save = 用法：/save 名稱 內容（名稱：以英文字母開頭，其後可接英文字母、數字或 _）。

workspace-usage_faq = 用法：/faq（清單）、/faq N（單則常見問題）或 /faq 名稱（預存回覆）。

workspace-usage_learn = 用法：/learn N（將顧客的問題新增為常見問題 #N 的另一種問法），或以 /learn 回覆您自己的答覆（新增一則常見問題）。

workspace-learn_nothing = 此主題中沒有可供學習的顧客提問。

workspace-learn_no_answer = 請以 /learn 回覆您的答覆（或先答覆顧客）：目前沒有可供學習的答覆。

workspace-learned = 📚 已學習：顧客的問題現在歸入常見問題 #{ $n }，下次機器人會自動回答。

workspace-learned_known = 常見問題 #{ $n } 已經包含這個問題。

workspace-learned_new = 📚 已新增為常見問題 #{ $n }：下次機器人會自動回答這個問題。

workspace-customer_fallback = 顧客

workspace-stats_off = 此處無法使用統計資料。

workspace-stats =
    📊 客服與審核
    待審核的申請：{ $waiting }
    今日已處理：{ $decided_today }
    進行中的主題：{ $topics_open } · 進行中的客服詢問：{ $tickets_open }
    首次回覆時間中位數：{ $first_answer }
    審核完成時間中位數：{ $decision }
    退件原因（最近 { $days } 天）：
    { $reasons }
    剩餘序號：
    { $codes }

workspace-stats_none = {"  "}–

workspace-stats_reason = {"  "}{ $promotion }：{ $reasons }

workspace-stats_codes = {"  "}{ $promotion }：{ $count }

workspace-stats_unknown = –

workspace-stats_minutes = { $minutes } 分鐘

workspace-stats_hours = { $hours } 小時 { $minutes } 分鐘

workspace-day-mon = 星期一

workspace-day-tue = 星期二

workspace-day-wed = 星期三

workspace-day-thu = 星期四

workspace-day-fri = 星期五

workspace-day-sat = 星期六

workspace-day-sun = 星期日

## the invoice pre-check and the sticker's text (issue 12): advice, never a refusal
check-serial_text = 📷 我從印刷的 S/N 標籤讀到 { $serial }（沒有可讀取的條碼）。請逐字核對：這是您的序號嗎？

check-serial_text_chk = 📷 我從印刷的標籤讀到序號 { $serial } 和 CHK 碼 { $chk }（沒有可讀取的條碼）。請逐字核對：這樣正確嗎？

check-all_found = ✅ 發票已檢查：產品、日期、購買商店和發票號碼都找到了。
check-invoice_product = 🧾 發票上顯示的是 { $invoice }，而不是 { $registered }。要將型號改為 { $invoice } 嗎？（也可以傳送更清楚的發票照片，或仍然送出。）
check-invoice_product_used = ✅ 型號：{ $model }，與發票相同。

check-finding-model_not_found = 這張發票上找不到 { $product }：發票上必須有型號名稱。請傳送更清晰的照片或完整發票的照片，或直接送出。

check-finding-model_not_found_model = 這張發票上找不到 { $product } 或 { $model }：發票上必須有型號名稱。請傳送更清晰的照片或完整發票的照片，或直接送出。

check-finding-date_not_found = 這張發票上找不到購買日期。請傳送含日期的完整發票照片，或直接送出。

check-finding-date_outside_window = 這張發票的日期是 { $date }，不在活動的購買期間（{ $start } 至 { $end }）內。只有在此期間購買的產品才符合資格：請確認發票是否正確，或直接送出。

check-finding-date_differs = 這張發票的日期是 { $date }，但您登錄的購買日期是 { $registered }。請更正購買日期或傳送正確的發票，或直接送出。

check-finding-store_not_found = 這張發票上找不到購買商店 { $store }。請確認您輸入的商店，或傳送有商店名稱的完整發票照片，或直接送出。

check-finding-number_not_found = 這張發票上找不到發票號碼。請傳送完整發票的照片，或直接送出。

check-finding-unreadable = 這個檔案裡讀不到任何文字。請將整張發票平放、在光線充足處拍照，或傳送發票的 PDF 檔。

check-finding-too_small = 這張圖片太小，無法辨識。請靠近一點拍攝，讓整張發票佔滿畫面，或以檔案方式傳送以保留完整解析度。

check-finding-too_blurred = 這張照片模糊不清。請將發票平放、拿穩手機並點一下對焦後再試一次，或以檔案方式傳送以保留完整解析度。

check-finding-too_dark = 這張照片太暗。請在光線充足、頁面沒有陰影的地方重新拍攝。

check-finding-unchecked = 目前無法檢查這張發票。發票已保存，客服人員會進行審核。

## the S/N photo read at redemption (issue 12): a warning, never a refusal
sn_check-differs = ⚠️ 這張照片上的序號 { $serial } 與您登錄的序號 { $registered } 不同。請傳送這項產品本身的 S/N 貼紙照片，或仍然送出。

sn_check-box = ⚠️ 這看起來是包裝盒，而不是產品本身：我看到條碼，但沒有序號。審核人員需要產品本體上的 S/N 貼紙。請近拍那張貼紙，或仍然送出。

sn_check-not_found = ⚠️ 我在這張照片上找不到 S/N 貼紙。請近距離清楚拍攝產品上的貼紙（序號與條碼都要看得到），或仍然送出。

## the review desk (issue 10, T4): the Review topic, questions to staff, findings, code files
review-topic_name = 審核
review-btn_customer = 👤 開啟顧客
review-same_phone = ⚠ 其他會員的申請使用相同電話：{ $claims }
review-same_address = ⚠ 其他會員的申請使用相同地址：{ $claims }
review-finding = ⚠ { $code }：{ $claims }
review-status_awaiting_code = 已核准，等待兌換碼
review-approved_waiting_toast = 已核准。兌換碼已用完：此申請將等待匯入。
review-shipped_toast = 已出貨，已通知顧客。
review-cancelled = 維持原狀：申請 { $claim } 未傳送任何內容。
review-answer_empty = 請以文字寫下內容（或輸入 /cancel）。
review-import_junk = 未匯入 { $promotion }：{ $junk } 行中沒有任何一行像兌換碼。
review-import_file_kind = 請以 .txt 或 .csv 檔傳送兌換碼，每行一組。
review-import_file_unreadable = 無法將此檔案讀為文字（UTF-8，最多 2 MB）。未匯入任何內容。
review-stats_waiting_code = { $promotion }：{ $count } 筆已核准的申請正在等待兌換碼
