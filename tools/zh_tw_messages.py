# ruff: noqa: E501  (CJK text counts double-width)
"""Traditional Chinese (Taiwan) for every window text, by Qt context: source → translation.

Words used throughout: 規則 rule, 觸發條件 trigger, 動作 step card, 事件 event,
傳送 delivery, 執行 run, 重試 try again, 範例事件 sample event, 範本 template,
網址 web address, 帳號 account, 系統鑰匙圈 keychain, 密鑰 secret, 標頭 header,
試算表 spreadsheet, 暫停/繼續 pause/resume, 結束 quit. Product names stay as they are.
"""

ZH_TW: dict[str, dict[str, str]] = {
    "FileProblemBanner": {
        "What is wrong in the file": "檔案哪裡有錯",
        "Open the folder": "開啟資料夾",
        "Open the folder that holds the file, to fix it": "開啟存放這個檔案的資料夾，以便修正",
        "{files}: a mistake to fix": "{files}：有需要修正的錯誤",
    },
    "AccountEditor": {
        "Choose an account…": "選擇帳號…",
        "{name} (not found under Accounts)": "{name}（在「帳號」中找不到）",
        "Add or change accounts under <a href='accounts'>Accounts</a>.":
            "可到<a href='accounts'>帳號</a>頁面新增或修改帳號。",
        "You have no email account yet: add one under <a href='accounts'>Accounts</a>.":
            "您還沒有電子郵件帳號：請到<a href='accounts'>帳號</a>頁面新增一個。",
        "You have no account of this kind yet: add one under <a href='accounts'>Accounts</a>.":
            "您還沒有這類帳號：請到<a href='accounts'>帳號</a>頁面新增一個。",
    },
    "GoogleAccountCard": {
        "Use a service-account key file…": "使用服務帳戶金鑰檔案…",
        "Copy": "複製",
        "Share your sheet with this address: in Google Sheets press Share, paste it, and choose Editor.":
            "請把試算表共用給這個地址：在 Google 試算表按「共用」，貼上地址，並選擇「編輯者」。",
        "OAuth client ID": "OAuth 用戶端 ID",
        "OAuth client secret": "OAuth 用戶端密鑰",
        "Sign in with Google": "使用 Google 登入",
        "Show Google's addresses (for a proxy)": "顯示 Google 的連線網址（供代理伺服器使用）",
        "Paste a sheet's address, e.g. https://docs.google.com/spreadsheets/d/…":
            "貼上試算表的網址，例如 https://docs.google.com/spreadsheets/d/…",
        "Test connection": "測試連線",
        "Lets your rules add rows to Google Sheets. Use a service account's key file (best for a shop computer), or sign in with your own Google account.":
            "讓規則可以在 Google 試算表中新增資料列。請使用服務帳戶的金鑰檔案（最適合店裡的電腦），或用您自己的 Google 帳號登入。",
        "Name in Bellhop": "在 Bellhop 中的名稱",
        "Share with": "共用對象",
        "Check that Bellhop can reach a sheet:": "確認 Bellhop 能連到試算表：",
        "Sheets API address": "Sheets API 網址",
        "Token address": "權杖網址",
        "Sign-in page address": "登入頁面網址",
        "Google account": "Google 帳號",
        "Or sign in with your Google account (needs an OAuth client; the README says how to make one):":
            "或用您的 Google 帳號登入（需要 OAuth 用戶端；README 說明如何建立）：",
        "Signed in with Google.": "已使用 Google 登入。",
        "Copied. Paste it into the Share box of your sheet.": "已複製。請貼到試算表的「共用」視窗中。",
        "Give the account a name; your rules use it to pick this account.":
            "請為帳號取個名稱；規則會用這個名稱選擇帳號。",
        "Choose the service account's key file": "選擇服務帳戶的金鑰檔案",
        "Key files": "金鑰檔案",
        "All files": "所有檔案",
        "Saving…": "正在儲存…",
        "Type the OAuth client ID and secret first (the README says how to make them).":
            "請先輸入 OAuth 用戶端 ID 和密鑰（README 說明如何建立）。",
        "Finish signing in in your browser…": "請在瀏覽器中完成登入…",
        "Cancel sign-in": "取消登入",
        "Signing in was cancelled. Nothing was saved.": "已取消登入，沒有儲存任何資料。",
        "Saved. Now share your sheet with the address above.": "已儲存。現在請把試算表共用給上面的地址。",
        "Paste the address of a sheet to test with.": "請貼上要用來測試的試算表網址。",
        "Asking Google…": "正在詢問 Google…",
        "Connected to “{title}”. Its tabs and their columns:": "已連線到「{title}」。它的工作表和欄位：",
        "(no header row yet)": "（還沒有標題列）",
    },
    "AccountsPage": {
        "“{name}” is a Google account: the Google card on the left shows it, tests it and replaces its key. You can delete it here.":
            "「{name}」是 Google 帳號：左邊的 Google 卡片會顯示它、測試它，也可以更換它的金鑰。您可以在這裡刪除它。",
        "Bellhop could not do that ({reason}). Try again; if it keeps happening, restart Bellhop.":
            "Bellhop 無法完成這個操作（{reason}）。請再試一次；如果一直發生，請重新啟動 Bellhop。",
        "Accounts": "帳號",
        "Bellhop sends email and reaches other services through the accounts you add here. Passwords are kept in your system keychain, never in a file.":
            "Bellhop 會透過您在這裡新增的帳號寄送電子郵件、連線到其他服務。密碼保存在系統鑰匙圈中，絕不會寫進檔案。",
        "Name": "名稱",
        "Type": "類型",
        "Details": "詳細資料",
        "No accounts yet. Add the email account your rules should send from: fill in the form on the right and press “Save account”.":
            "還沒有任何帳號。請新增規則寄信時要用的電子郵件帳號：填寫右邊的表單，再按「儲存帳號」。",
        "Add mail account": "新增郵件帳號",
        "Delete…": "刪除…",
        "Google account": "Google 帳號",
        "Public web address (ngrok)": "公開網址（ngrok）",
        "Gives your rules an internet address so online shops and forms can reach this computer; setting it up here is coming soon.":
            "讓規則擁有網際網路上的網址，網路商店和表單就能連到這台電腦；即將可以在這裡設定。",
        "Your accounts": "您的帳號",
        "Email": "電子郵件",
        "{address} via {provider}": "{address}（透過 {provider}）",
        "Google": "Google",
        "signed in": "已登入",
        "“{name}” is not a mail account, so it cannot be changed on this page yet. You can delete it here.":
            "「{name}」不是郵件帳號，目前還不能在這個頁面修改，但可以在這裡刪除。",
        "Delete the account “{name}”? Its password is removed from the keychain too.":
            "要刪除帳號「{name}」嗎？它的密碼也會從鑰匙圈中移除。",
        "These rules use it and will fail until you pick another account: {rules}":
            "以下規則正在使用這個帳號，改選其他帳號之前都會執行失敗：{rules}",
        "Delete account": "刪除帳號",
    },
    "ActivityModel": {
        "(deleted rule)": "（已刪除的規則）",
        "Received": "收到時間",
        "Rule": "規則",
        "What came in": "收到的內容",
        "Result": "結果",
        "(empty)": "（空白）",
        "{size} of data": "{size} 的資料",
        "Today {time}": "今天 {time}",
        "Yesterday {time}": "昨天 {time}",
    },
    "ActivityPage": {
        "Activity": "活動",
        "Search what came in: an order number, a name…": "搜尋收到的內容：訂單編號、姓名…",
        "All rules": "所有規則",
        "Bellhop could not read its event list: {reason}": "Bellhop 無法讀取事件清單：{reason}",
        "Looking through the events ({share}%)… {count} found so far":
            "正在搜尋事件（{share}%）…目前找到 {count} 筆",
        "1 event": "1 筆事件",
        "{count} events": "{count} 筆事件",
        "1 event matches": "1 筆事件符合",
        "{count} events match": "{count} 筆事件符合",
        "Opening…": "正在開啟…",
        "Nothing has arrived yet. When a service sends a webhook to one of your rules, it shows up here at once.":
            "目前還沒有收到任何東西。服務傳送 Webhook 給您的規則時，會立刻顯示在這裡。",
        "Looking…": "正在搜尋…",
        "No events match. Try other words, or choose “All rules” and “All results”.":
            "沒有符合的事件。請換個關鍵字，或選擇「所有規則」和「所有結果」。",
        "Trying the failed step again…": "正在重試失敗的步驟…",
        "This run is no longer failed, so there is nothing to try again.":
            "這次執行已經不是失敗狀態，不需要重試。",
        "Running it again with the current rule…": "正在用目前的規則重新執行…",
        "This event is no longer stored.": "這個事件已不在紀錄中。",
        "Bellhop could not do that: {reason}": "Bellhop 無法完成這個操作：{reason}",
        "This event's rule was deleted, so there is no address to send it to.":
            "這個事件的規則已被刪除，因此沒有可以傳送的網址。",
        "Copied. Paste it into a terminal to send this delivery to Bellhop again.":
            "已複製。貼到終端機執行，就能把這次傳送再送給 Bellhop 一次。",
    },
    "ActivityStatus": {
        "Done": "完成",
        "Failed": "失敗",
        "Skipped": "略過",
        "Running": "執行中",
        "Will try again": "稍後重試",
        "Not run yet": "尚未執行",
        "Not reached": "未執行到",
        "Every step went through.": "每個步驟都順利完成。",
        "A step could not be done. Select the event to see why.":
            "有一個步驟無法完成。選取這個事件即可查看原因。",
        "A filter step decided this delivery needs nothing done.":
            "篩選步驟判定這次傳送不需要處理。",
        "Bellhop is working on it now.": "Bellhop 正在處理中。",
        "A step hit a passing problem; Bellhop tries again by itself soon.":
            "有一個步驟遇到暫時性的問題，Bellhop 稍後會自動重試。",
        "Received while Bellhop was paused; it runs when you resume.":
            "這是 Bellhop 暫停期間收到的，按「繼續」後就會執行。",
        "This step was not reached.": "沒有執行到這個步驟。",
        "All results": "所有結果",
    },
    "BaseCardWidget": {
        "Details": "詳細資料",
    },
    "CardPaletteView": {
        "Drag into the rule, or select and press Enter to add it after the selected card.":
            "拖曳到規則中，或選取後按 Enter，加在目前選取的動作後面。",
        "Cards you can add": "可加入的動作",
        "Drop here to remove the card": "拖放到這裡即可移除動作",
    },
    "CardWidget": {
        "Drag to move this card; drag it onto the card list above to remove it":
            "拖曳可移動這個動作；拖到上方的動作清單即可移除",
        "Unknown card '{type}'": "未知的動作「{type}」",
        "This Bellhop does not know this kind of card.": "這個版本的 Bellhop 不認得這種動作。",
        "Worked: the event does not match, so the rule stops here.":
            "成功：事件不符合條件，規則到此停止。",
        "Worked": "成功",
        " · {ms} ms": " · {ms} 毫秒",
        "Failed": "失敗",
        "Did not run: an earlier card stopped the rule.": "未執行：前面的動作已讓規則停止。",
    },
    "ChainCanvas": {
        "Cards of this rule": "這條規則的動作",
    },
    "ComingSoonCard": {
        "Coming soon": "即將推出",
    },
    "Editors": {
        "e.g. ~/Documents/orders.xlsx": "例如 ~/Documents/orders.xlsx",
    },
    "EmailCheckPanel": {
        "Send test email": "寄送測試信",
        "Send to": "寄到",
        "Try it": "試試看",
        "Send yourself a short message to check that the account works.":
            "寄一封簡短的信給自己，確認這個帳號可以正常使用。",
        "your.address@example.com": "your.address@example.com",
        "Type the address to send the test email to.": "請輸入要收測試信的電子郵件地址。",
        "Test email from Bellhop": "Bellhop 測試信",
        "This is a test message from Bellhop. If you can read it, your mail account works and your rules can send email.":
            "這是 Bellhop 寄出的測試信。如果您看得到這封信，代表郵件帳號可以正常使用，規則也能寄送電子郵件。",
        "Sending a test email to {to}…": "正在寄送測試信到 {to}…",
        "Sent to {to}. It should arrive within a minute; if not, look in the spam folder.":
            "已寄到 {to}。一分鐘內應該會收到；如果沒有，請看看垃圾郵件匣。",
        "The test email was not sent. {error}": "測試信沒有寄出。{error}",
    },
    "EmptyRulesView": {
        "No rules yet": "還沒有規則",
        "A rule says what Bellhop does when a service such as Shopify sends it news: make your first one to get its web address.":
            "規則決定 Shopify 等服務傳來通知時，Bellhop 要做哪些事。建立第一條規則，就能取得它的網址。",
        "New rule": "新增規則",
    },
    "EventDetailPanel": {
        "Try again": "重試",
        "Tries the failed step again and goes on from there; steps that worked are not repeated.":
            "從失敗的步驟重新嘗試並繼續往下執行；已成功的步驟不會重複。",
        "Run again": "重新執行",
        "Runs this delivery through the rule as it is now, every step, as a new run.":
            "用目前的規則把這次傳送從頭到尾再執行一次，算是一次新的執行。",
        "Copy as curl": "複製為 curl 指令",
        "Copies a command that sends this delivery again, for someone helping you.":
            "複製一段可以重新傳送這次內容的指令，方便交給協助您的人。",
        "What happened": "發生了什麼事",
        "What arrived": "收到的內容",
        "Pick an event in the list to see what happened to it.": "在清單中選一個事件，查看它的處理經過。",
        "Received {time} · {method} · {size} · {event_id}": "{time} 收到 · {method} · {size} · {event_id}",
        "No reason was recorded.": "沒有記錄原因。",
        "“{step}” could not be done: {error}": "「{step}」無法完成：{error}",
        "“{step}” hit a problem and will be tried again: {error}": "「{step}」遇到問題，稍後會重試：{error}",
    },
    "FieldPickerPopup": {
        "Search fields or values": "搜尋欄位或內容",
        "Field": "欄位",
        "Sample value": "範例內容",
        "Double-click a field (or press Enter) to insert it.": "按兩下欄位（或按 Enter）即可插入。",
        "No sample event yet": "還沒有範例事件",
    },
    "FileEditor": {
        "Choose a file": "選擇檔案",
        "Spreadsheet file": "試算表檔案",
        "Spreadsheets (*.xlsx *.csv)": "試算表（*.xlsx *.csv）",
    },
    "InspectorPanel": {
        "When a webhook arrives": "收到 Webhook 時",
        "A service (Shopify, a form, LINE…) sends its news to this address; the cards below then run in order.":
            "服務（Shopify、表單、LINE…）會把通知傳到這個網址，接著依序執行下方的動作。",
        "Unknown card": "未知的動作",
        "This Bellhop does not know cards of type '{type}'. Remove the card, or update Bellhop.":
            "這個版本的 Bellhop 不認得「{type}」類型的動作。請移除這個動作，或更新 Bellhop。",
    },
    "Labels": {
        "Slack": "Slack",
        "Discord": "Discord",
        "Telegram": "Telegram",
        "Microsoft Teams": "Microsoft Teams",
        "LINE (push message)": "LINE（推播訊息）",
        "JSON webhook": "JSON Webhook",
        "Other (apprise address)": "其他（apprise 網址）",
        "is": "等於",
        "is not": "不等於",
        "is more than": "大於",
        "is at least": "大於或等於",
        "is less than": "小於",
        "is at most": "小於或等於",
        "contains": "包含",
        "starts with": "開頭是",
        "is empty": "是空的",
        "is not empty": "不是空的",
        "all conditions hold": "所有條件都符合",
        "any one condition holds": "任一條件符合",
        "JSON": "JSON",
        "Plain text": "純文字",
        "Web form fields": "網頁表單欄位",
        "As if typed (dates and numbers become values)": "如同親手輸入（日期和數字會變成數值）",
        "Not set up yet": "尚未設定",
        "No conditions yet": "還沒有條件",
        " and ": " 且 ",
        " or ": " 或 ",
        "Only if": "僅當",
    },
    "LineEditor": {
        "e.g. body.total_price": "例如 body.total_price",
    },
    "Listening": {
        "The sample could not be kept on disk: {reason}": "無法把範例存到磁碟：{reason}",
        "Waiting for the next delivery to this address… Send a test from the service now (in Shopify: Settings › Notifications › Webhooks › Send test).":
            "正在等候這個網址的下一次傳送…現在請從服務端送出測試（Shopify 的位置：設定 › 通知 › Webhook › 傳送測試）。",
        "Got it: the delivery that just arrived is now this rule's sample.":
            "收到了：剛才的傳送已成為這條規則的範例。",
    },
    "MailAccountForm": {
        "Other mail server": "其他郵件伺服器",
        "e.g. shop@gmail.com": "例如 shop@gmail.com",
        "e.g. Shop email": "例如 店裡的信箱",
        "You pick this name in the 'Send email' step of a rule.":
            "在規則的「寄送電子郵件」動作中，會用這個名稱選擇帳號。",
        "e.g. mail.example.com": "例如 mail.example.com",
        "STARTTLS (most servers, port 587)": "STARTTLS（大多數伺服器，連接埠 587）",
        "SSL/TLS (port 465)": "SSL/TLS（連接埠 465）",
        "None (only inside your own network)": "無（僅限您自己的內部網路）",
        "Leave empty if the server needs no login": "如果伺服器不需要登入，請留空",
        "Save account": "儲存帳號",
        "Email provider": "電子郵件服務",
        "Your email address": "您的電子郵件地址",
        "Name in Bellhop": "在 Bellhop 中的名稱",
        "Mail server": "郵件伺服器",
        "Port": "連接埠",
        "Security": "加密方式",
        "Username": "使用者名稱",
        "Add a mail account": "新增郵件帳號",
        "Mail account “{name}”": "郵件帳號「{name}」",
        "Server: {host}, port {port}, {security}": "伺服器：{host}，連接埠 {port}，{security}",
        "App password": "應用程式密碼",
        "Password": "密碼",
        'Gmail needs an app password, not your normal password: turn on 2-Step Verification, then create one at <a href="{url}">{label}</a>.':
            'Gmail 需要使用應用程式密碼，而不是平常的登入密碼：請先開啟兩步驟驗證，再到 <a href="{url}">{label}</a> 建立。',
        "Yahoo Mail needs an app password: create one under “Generate app password” in your <a href=\"{url}\">Yahoo account security</a> page.":
            "Yahoo Mail 需要使用應用程式密碼：請到 <a href=\"{url}\">Yahoo 帳號安全性</a>頁面，在「產生應用程式密碼」建立。",
        "Use your Outlook or Microsoft 365 address and password. If your company blocks this, ask its IT person to allow “SMTP AUTH” for your mailbox.":
            "請輸入您的 Outlook 或 Microsoft 365 電子郵件地址和密碼。如果公司封鎖了這種登入方式，請公司的資訊人員為您的信箱開啟「SMTP AUTH」。",
        "Type the server settings your email provider or IT person gave you.":
            "請輸入電子郵件服務商或資訊人員提供的伺服器設定。",
        "Saved in your system keychain": "已存入系統鑰匙圈",
        "Leave it empty to keep the saved password, or type a new one to replace it.":
            "留空會保留已儲存的密碼；輸入新密碼則會取代舊的。",
        "Kept in your system keychain, never in a file": "保存在系統鑰匙圈中，絕不會寫進檔案",
        "Type your email address.": "請輸入您的電子郵件地址。",
        "“{text}” does not look like an email address. Check it.":
            "「{text}」看起來不像電子郵件地址，請檢查一下。",
        "Give the account a name; your rules use it to pick this account.":
            "請幫這個帳號取個名稱；規則會用這個名稱來選擇帳號。",
        "There is already an account called “{name}”. Choose another name, or select that account in the list to change it.":
            "已經有名為「{name}」的帳號。請換個名稱，或在清單中選取那個帳號來修改。",
        "Type the mail server's name, e.g. mail.example.com.":
            "請輸入郵件伺服器名稱，例如 mail.example.com。",
        "Type the password (Gmail and Yahoo: an app password).":
            "請輸入密碼（Gmail 和 Yahoo 請用應用程式密碼）。",
        "Saving…": "正在儲存…",
        "Saved.": "已儲存。",
    },
    "MainWindow": {
        "Rules": "規則",
        "Activity": "活動",
        "Accounts": "帳號",
        "Settings": "設定",
        "Starting…": "正在啟動…",
        "Bellhop is listening at {base}": "Bellhop 正在 {base} 等候 Webhook",
        "&Help": "說明（&H）",
        "Welcome…": "歡迎使用…",
        "Make a rule first (New rule…), then listen for a test event on it.":
            "請先建立一條規則（新增規則…），再為它等候測試事件。",
    },
    "NewRuleDialog": {
        'Shopify orders to the warehouse and the sheet': 'Shopify 訂單：通知倉庫並記到試算表',
        'SurveyCake answers': 'SurveyCake 問卷回覆',
        'LINE auto reply: opening hours': 'LINE 自動回覆：營業時間',
        'GitHub pushes to Discord': 'GitHub 推送通知到 Discord',
        'Stripe payments': 'Stripe 付款',
        "New rule": "新增規則",
        "What should happen? Pick a starting point; you can change every card afterwards.":
            "要做什麼事？先選一個起點，之後每個動作都可以再修改。",
        "Rule name": "規則名稱",
        "Create rule": "建立規則",
        "Name": "名稱",
        "Shopify orders to the warehouse": "Shopify 訂單通知倉庫",
        "Website messages by email": "網站留言轉寄到信箱",
        "My rule": "我的規則",
    },
    "PairsEditor": {
        "Remove this row": "移除這一列",
        "Column header": "欄位標題",
        "Value": "內容",
        "Add a column": "新增欄位",
        "Name": "名稱",
        "Add a row": "新增一列",
    },
    "PickerButton": {
        "Insert a field of the sample event": "插入範例事件中的欄位",
        "Insert field": "插入欄位",
    },
    "Problems": {
        "Row {n}: {problem}": "第 {n} 列：{problem}",
        "Fill this in.": "請填寫這一欄。",
        "Choose one of the offered values.": "請從提供的選項中選一個。",
        "Use a number of at least {n}.": "請輸入不小於 {n} 的數字。",
        "Use a number of at most {n}.": "請輸入不大於 {n} 的數字。",
        "Use a number.": "請輸入數字。",
        "Use only letters, digits and dashes.": "只能使用英文字母、數字和連字號（-）。",
        "Bellhop does not know this setting; remove it from rules.json.":
            "Bellhop 不認得這個設定，請從 rules.json 中移除。",
        "That did not work: {reason}": "沒有成功：{reason}",
    },
    "RequestView": {
        "Show exactly as received": "顯示收到的原始內容",
        "Header": "標頭",
        "Value": "內容",
        "(The delivery had no body.)": "（這次傳送沒有內容。）",
        "Only the beginning is shown: the body is {size} bytes long.":
            "只顯示開頭部分：內容共有 {size} 位元組。",
    },
    "RowsEditor": {
        "Remove this row": "移除這一列",
        "Add a condition": "新增條件",
        "Add a row": "新增一列",
    },
    "RuleBuilderView": {
        "Rule name": "規則名稱",
        "Undo": "復原",
        "Redo": "重做",
        "Run test": "執行測試",
        "Send the sample event through the cards, for real: emails are sent and rows are added.":
            "用範例事件實際跑一次所有動作：真的會寄出電子郵件、新增資料列。",
        "Save": "儲存",
        "Add a card: drag it into the rule below": "新增動作：拖曳到下方的規則中",
    },
    "RuleChainView": {
        "Drag a card here from the list above, or select one there and press Enter.":
            "從上方清單把動作拖曳到這裡，或在清單中選取後按 Enter。",
        "Add card": "新增動作",
        "Move card": "移動動作",
        "Remove card": "移除動作",
    },
    "RuleKeeper": {
        "Rule made. Fill in what is marked on the cards, then save it.":
            "規則已建立。請填寫動作上標示的欄位，然後儲存。",
        "{name} (copy)": "{name}（副本）",
        "Copied. The copy has its own web address and stays off until you turn it on.":
            "已複製。副本有自己的網址，在您開啟之前會保持關閉。",
        "Deleted the rule “{name}”.": "已刪除規則「{name}」。",
    },
    "RuleListView": {
        "Rules": "規則",
        "New rule": "新增規則",
        "Duplicate": "建立副本",
        "Delete": "刪除",
    },
    "RuleRowWidget": {
        "⚠ New address": "⚠ 網址已變更",
        "The public address changed. Open the rule, copy its address and paste it into the service's webhook settings.":
            "公開網址已變更。請開啟這條規則，複製它的網址，再貼到該服務的 webhook 設定中。",
        "{name}: changes not saved yet": "{name}：變更尚未儲存",
        "Turn this rule off": "關閉這條規則",
        "Turn this rule on": "開啟這條規則",
        "Cannot run: {reasons}": "無法執行：{reasons}",
        "Turned off": "已關閉",
        "The last run failed: {error}": "上次執行失敗：{error}",
        "Ready": "準備就緒",
        "The last run worked": "上次執行成功",
        "{n} waiting": "{n} 筆等待中",
        "{n} deliveries are safe on disk and wait for their turn to run (one step of this rule is slow, or Bellhop was paused or restarted).":
            "{n} 筆傳送已安全存在磁碟上，正在等候執行（這條規則有一個步驟比較慢，或 Bellhop 曾暫停或重新啟動）。",
        "Events today: {n}": "今天的事件：{n} 筆",
    },
    "RulesPage": {
        "This rule cannot run yet: fix what is marked on the cards.":
            "這條規則還不能執行：請修正動作上標示的問題。",
        "Saved, but turned off: fix what is marked on the cards, then save again and turn the rule on.":
            "已儲存，但規則已關閉：請修正動作上標示的問題，再儲存一次並開啟規則。",
        "Saved. The rule is on.": "已儲存。規則已開啟。",
        "Saved. The rule is off: turn it on in the list.": "已儲存。規則目前關閉：請在清單中開啟。",
        "Choose a sample event first: listen for one, or use one of Bellhop's samples.":
            "請先選擇範例事件：等候一次真實的傳送，或使用 Bellhop 提供的範例。",
        "Testing…": "正在測試…",
        "The test could not run: {reason}": "無法執行測試：{reason}",
        "Test finished: every card worked.": "測試完成：每個動作都成功了。",
        "Test finished: the filter stopped this event, so the later cards did not run.":
            "測試完成：篩選條件擋下了這個事件，所以後面的動作沒有執行。",
        "The test stopped before the cards: {error}": "測試在執行卡片之前就停止了：{error}",
        "The test stopped at card {n}: {error}": "測試停在第 {n} 個動作：{error}",
    },
    "RunStepsWidget": {
        "{n} ms": "{n} 毫秒",
        "{n} s": "{n} 秒",
        "{m} min {s} s": "{m} 分 {s} 秒",
        "When it arrived": "收到時",
        "Replayed": "重新執行",
        "Tried again": "重試",
        "Test": "測試",
        "Step": "步驟",
        "Result": "結果",
        "Tries": "次數",
        "Took": "耗時",
        "Run {number} · {time}": "第 {number} 次執行 · {time}",
        "Run {number} · {reason} · {time}": "第 {number} 次執行 · {reason} · {time}",
        "{title}, {reason}": "{title}，{reason}",
        "What went wrong": "哪裡出了問題",
        "Started {start}, took {took}.": "開始於 {start}，耗時 {took}。",
        "Tried once": "試了 1 次",
        "Tried {count} times": "試了 {count} 次",
        "What came out": "產出的內容",
        "What went in": "輸入的內容",
    },
    "Samples": {
        "Shopify order": "Shopify 訂單",
        "LINE message": "LINE 訊息",
        "GitHub push": "GitHub 推送",
        "Stripe payment": "Stripe 付款",
        "SurveyCake form post": "SurveyCake 表單回覆",
        "Website form": "網站表單",
    },
    "SchemaForm": {
        "More settings": "更多設定",
    },
    "SettingsPage": {
        "Changes are saved as soon as you make them.": "變更會立即儲存。",
        "Open folder": "開啟資料夾",
        "Bellhop uses the new language the next time it starts.": "Bellhop 下次啟動時會使用新的語言。",
        "General": "一般",
        "Language": "語言",
        "Applies the next time Bellhop starts.": "Bellhop 下次啟動時生效。",
        "Same as the system": "與系統相同",
        "Start Bellhop when I log in": "登入電腦時自動啟動 Bellhop",
        "So your rules keep working after the computer restarts. Bellhop starts in the tray, without opening its window.":
            "這樣電腦重新開機後，規則也能繼續運作。Bellhop 會在系統匣中啟動，不會開啟視窗。",
        "Notifications": "通知",
        "Show a notification": "顯示通知",
        "Many events at once are gathered into one notification.": "同時收到許多事件時，會合併成一則通知。",
        "For every event": "每個事件都通知",
        "Only when something fails": "只在失敗時通知",
        "Never": "永不通知",
        "Connection": "連線",
        "Receiver port": "接收連接埠",
        "Where deliveries arrive on this computer (usually 8765). Change it only if another program already uses it. Applies the next time Bellhop starts.":
            "這台電腦接收傳送的連接埠（通常是 8765）。只有在其他程式已經佔用時才需要修改。Bellhop 下次啟動時生效。",
        "The new port is used the next time Bellhop starts.": "Bellhop 下次啟動時會使用新的連接埠。",
        "Settings": "設定",
        "Data folder": "資料存放位置",
        "Folder": "資料夾",
        "Your rules, the list of accounts and the history of events are kept here. Passwords are not: they are in your system keychain.":
            "您的規則、帳號清單和事件紀錄都保存在這裡。密碼不在這裡，而是保存在系統鑰匙圈中。",
        "Saving…": "正在儲存…",
        # Not extracted by lupdate yet (inside an f-string in settings_page.py).
        "Saved.": "已儲存。",
        "The settings could not be saved ({reason}). Check that the data folder can be written to, then try again.":
            "無法儲存設定（{reason}）。請確認資料夾可以寫入，然後再試一次。",
    },
    "Starters": {
        'Shopify order → email the warehouse + Google Sheet':
            'Shopify 訂單 → 通知倉庫＋Google 試算表',
        'Emails each new order with its items and shipping address, and adds it as a row to your orders sheet.':
            '每張新訂單都寄出含商品與收件地址的電子郵件，並在訂單試算表新增一列。',
        'SurveyCake response → thank-you email + sheet': 'SurveyCake 問卷回覆 → 感謝信＋試算表',
        'Fetches the answers of each response, thanks the person who answered by email and adds the answers to a sheet.':
            '取得每份填答的內容，寄感謝信給填答者，並把答案加到試算表。',
        'LINE keyword → auto reply': 'LINE 關鍵字 → 自動回覆',
        'When someone writes 營業時間 to your LINE official account, reply with your opening hours.':
            '有人在您的 LINE 官方帳號傳「營業時間」時，自動回覆營業時間。',
        'GitHub push → Discord message': 'GitHub 推送 → Discord 訊息',
        'Tells your Discord channel who pushed what to your repository.':
            '在 Discord 頻道通知誰推送了什麼到您的程式庫。',
        'Stripe payment succeeded → email + sheet': 'Stripe 付款成功 → 電子郵件＋試算表',
        'Emails you each successful payment in NT$ and adds it to your payments sheet.':
            '每筆成功的付款都以新台幣金額寄信通知您，並加到付款試算表。',
        "Order {{ body.name }}: {{ body.line_items | count }} items ({{ body.line_items | pluck('title') | join(', ') }}), total {{ body.total_price | money('NT$', 0) }}.\nShip to {{ body.shipping_address.name }}, {{ body.shipping_address.zip }} {{ body.shipping_address.city }}{{ body.shipping_address.address1 }} {{ body.shipping_address.address2 | default('') }}, phone {{ body.shipping_address.phone }}.\nNote: {{ body.note | default('—') }}":
            "訂單 {{ body.name }}：共 {{ body.line_items | count }} 項商品（{{ body.line_items | pluck('title') | join(', ') }}），總金額 {{ body.total_price | money('NT$', 0) }}。\n收件人：{{ body.shipping_address.name }}，{{ body.shipping_address.zip }} {{ body.shipping_address.city }}{{ body.shipping_address.address1 }}{{ body.shipping_address.address2 | default('') }}，電話 {{ body.shipping_address.phone }}。\n備註：{{ body.note | default('—') }}",
        'Phone': '電話',
        'Items': '件數',
        'Thank you for your answers': '感謝您的填答',
        '{{ body.answers["姓名"] }}, thank you for filling in "{{ body.title }}". We read every answer.\n\nYour suggestion: {{ body.answers["建議"] | default("—") }}':
            '{{ body.answers["姓名"] }} 您好，感謝您填寫「{{ body.title }}」，每一份回覆我們都會仔細閱讀。\n\n您的建議：{{ body.answers["建議"] | default("—") }}',
        'Time': '填答時間',
        'Hello! We are open Monday to Saturday, 10:00–19:00. See you soon!':
            '您好！我們的營業時間是週一至週六 10:00–19:00，期待您的光臨！',
        "{{ body.pusher.name }} pushed {{ body.commits | count }} commit(s) to {{ body.ref | replace('refs/heads/', '') }}: {{ body.head_commit.message | truncate(200) }}":
            "{{ body.pusher.name }} 推送了 {{ body.commits | count }} 個提交到 {{ body.ref | replace('refs/heads/', '') }}：{{ body.head_commit.message | truncate(200) }}",
        'Payment received:': '收到付款：',
        "{{ body.data.object.receipt_email | default('—') }} paid {{ body.data.object.amount | money('NT$', 0, cents=True) }} ({{ body.data.object.description | default('—') }}) on {{ body.created | date('%Y-%m-%d %H:%M') }}.":
            "{{ body.data.object.receipt_email | default('—') }} 於 {{ body.created | date('%Y-%m-%d %H:%M') }} 付款 {{ body.data.object.amount | money('NT$', 0, cents=True) }}（{{ body.data.object.description | default('—') }}）。",
        'Amount': '金額',
        'Email': '電子郵件',
        'Description': '說明',
        'Payment': '付款編號',
        "New order": "新訂單",
        "Order {{ body.name }} from {{ body.customer.last_name }}{{ body.customer.first_name }}, total {{ body.total_price }} {{ body.currency }}.":
            "{{ body.customer.last_name }}{{ body.customer.first_name }} 的訂單 {{ body.name }}，總金額 {{ body.total_price }} {{ body.currency }}。",
        "Order": "訂單編號",
        "Date": "日期",
        "Customer": "顧客",
        "Total": "總金額",
        "Website message from": "網站留言，來自",
        "Name: {{ body.name }}\nEmail: {{ body.email }}\nPhone: {{ body.phone }}\n\n{{ body.message }}":
            "姓名：{{ body.name }}\n電子郵件：{{ body.email }}\n電話：{{ body.phone }}\n\n{{ body.message }}",
        "Shopify order → email + spreadsheet file": "Shopify 訂單 → 電子郵件＋試算表檔案",
        "For orders over 1000: email the warehouse and add a row to orders.xlsx.":
            "金額超過 1000 的訂單：寄電子郵件通知倉庫，並在 orders.xlsx 新增一列。",
        "Website form → email": "網站表單 → 電子郵件",
        "Forward each message from your website's contact form by email.":
            "把網站聯絡表單收到的每則留言，用電子郵件轉寄出去。",
        "Blank rule": "空白規則",
        "Start from an empty rule and add the cards yourself.": "從空白規則開始，自己加入動作。",
    },
    "StepResultDialog": {
        "Test result: {card}": "測試結果：{card}",
        "This card worked.": "這個動作成功了。",
        "This card did not work.": "這個動作失敗了。",
        "This card did not run.": "這個動作沒有執行。",
        "What it gave": "產出的內容",
        "What it was given": "輸入的內容",
    },
    "TemplatePreviewLabel": {
        "Choose a sample event on the trigger card to see a preview.":
            "在觸發條件卡片上選擇範例事件，就能看到預覽。",
        "Uses what an earlier card gives: press Run test to see it.":
            "這裡會用到前面動作產出的內容：按「執行測試」即可查看。",
        "Preview: {text}": "預覽：{text}",
        "(empty)": "（空白）",
    },
    "TrayIcon": {
        "{file} has a mistake": "{file} 有錯誤",
        '{count} more notices. The latest: {text}': '還有 {count} 則通知。最新一則：{text}',
        "Open Bellhop": "開啟 Bellhop",
        "Pause all rules": "暫停所有規則",
        "Copy the web address of a rule": "複製規則的網址",
        "Quit Bellhop": "結束 Bellhop",
        "Bellhop: paused. Deliveries are kept and run when you resume.":
            "Bellhop：已暫停。收到的傳送會先保留，按「繼續」後再執行。",
        "Resume all rules": "繼續所有規則",
        "Bellhop: running": "Bellhop：執行中",
        "Bellhop could not do that. Open the window to see what is going on.":
            "Bellhop 無法完成這個操作。請開啟視窗查看發生了什麼事。",
        "Bellhop": "Bellhop",
        "No rules yet": "還沒有規則",
        "{name} (off)": "{name}（已關閉）",
        "New event": "新事件",
        "“{rule}” received an event. Click to see it.": "「{rule}」收到一個事件。按一下即可查看。",
        "{count} new events": "{count} 筆新事件",
        "and {count} more rules": "以及其他 {count} 條規則",
        "{rules}. Click to see the latest.": "{rules}。按一下查看最新的事件。",
        "“{rule}” failed": "「{rule}」執行失敗",
        "{count} runs failed": "{count} 次執行失敗",
        "The latest, “{rule}”: {error}": "最近一次是「{rule}」：{error}",
        "Bellhop is still running": "Bellhop 仍在執行",
        "Bellhop keeps running here and answers your webhooks; Quit from this menu.":
            "Bellhop 會在這裡繼續執行、接收您的 Webhook；要結束請從這個選單選擇「結束」。",
        # Not extracted by lupdate yet (inside an f-string in tray.py); ready for when it is.
        "Click to see what happened.": "按一下查看發生了什麼事。",
        "Your webhook addresses changed — update them in Shopify/LINE":
            "您的 Webhook 網址已變更，請到 Shopify／LINE 更新",
    },
    "TunnelStatusChip": {
        "Set up…": "設定…",
        "Give your rules a public web address": "讓您的規則有一個公開網址",
        "Fix…": "修正…",
        "Check my URL": "檢查我的網址",
        "Send a request through the public address to Bellhop, to see that the internet can "
        "reach it.": "透過公開網址送一個請求給 Bellhop，確認網際網路連得到它。",
        "Copy": "複製",
        "Copy the public address": "複製公開網址",
        "Public: {url}": "公開網址：{url}",
        "Shops, forms and chat bots on the internet can reach your rules at this address.":
            "網際網路上的商店、表單和聊天機器人可以透過這個網址連到您的規則。",
        "Connecting…": "連線中…",
        "Bellhop is opening its public address.": "Bellhop 正在開啟公開網址。",
        "Tunnel down: {reason}": "通道中斷：{reason}",
        "The public address is not working; Bellhop tries again by itself. Your rules still "
        "work on this computer.":
            "公開網址目前無法使用，Bellhop 會自動重試。您的規則在這台電腦上仍可運作。",
        "Only on this computer": "僅限這台電腦",
        "There is no tunnel: webhook addresses only work on this computer, so services on "
        "the internet cannot reach them.":
            "沒有開啟通道：Webhook 網址只能在這台電腦上使用，網際網路上的服務連不到。",
        "Checking…": "檢查中…",
        "Bellhop could not check the address. Try again in a moment.":
            "Bellhop 無法檢查網址，請稍後再試。",
    },
    "TriggerCardWidget": {
        "⚠ This address changed. Copy it and paste it into the service's webhook settings again.":
            "⚠ 這個網址已變更。請複製它，再重新貼到該服務的 webhook 設定中。",
        "When a webhook arrives": "收到 Webhook 時",
        "Copy": "複製",
        "Copy the address, then paste it into the service's webhook settings":
            "複製網址，再貼到服務的 Webhook 設定中",
        "(the address appears once Bellhop listens)": "（Bellhop 開始等候 Webhook 後就會顯示網址）",
        "Sample event: {name}": "範例事件：{name}",
        "No sample event yet: choose one in the panel on the right": "還沒有範例事件：請在右側面板選擇一個",
        "Copied": "已複製",
    },
    "TriggerInspector": {
        "Web address": "網址",
        "Copy": "複製",
        "Paste this address into the service's webhook settings (in Shopify: Settings › Notifications › Webhooks).":
            "把這個網址貼到服務的 Webhook 設定中（Shopify 的位置：設定 › 通知 › Webhook）。",
        "Sample event": "範例事件",
        "Listen for a test event": "等候測試事件",
        "Use a sample": "使用範例",
        "Check the sender": "驗證傳送者",
        "No check (anyone with the address can send)": "不驗證（任何知道網址的人都能傳送）",
        "Standard Webhooks (whsec_…)": "Standard Webhooks（whsec_…）",
        "User name and password": "使用者名稱和密碼",
        "A secret header": "秘密標頭",
        "Save secret": "儲存密鑰",
        "Secret": "密鑰",
        "Header name": "標頭名稱",
        "User name": "使用者名稱",
        "Proves that each delivery really comes from the service.": "確認每次傳送真的來自該服務。",
        "Accept requests of these kinds": "接受這些類型的請求",
        "Services send POST; leave the others off unless the service's help says otherwise.":
            "服務通常用 POST 傳送；除非服務的說明另有指示，其他類型請保持關閉。",
        "Answer": "回應",
        "Send my own reply": "傳回自訂的回應",
        "Status code": "狀態碼",
        "Reply text": "回應內容",
        "Otherwise Bellhop answers at once that the delivery arrived.":
            "否則 Bellhop 會立即回覆已收到傳送。",
        "Stop listening": "停止等候",
        "No sample yet. Listen for a real delivery, or start with one of Bellhop's samples.":
            "還沒有範例。請等候一次真實的傳送，或先使用 Bellhop 提供的範例。",
        "Using: {name}": "使用中：{name}",
        "the delivery received {when}": "{when} 收到的傳送",
        "your sample": "您的範例",
        "The signing secret shown under Shopify's webhook list": "Shopify Webhook 清單下方顯示的簽署密鑰",
        "The channel secret from the LINE Developers console": "LINE Developers 主控台中的 Channel secret",
        "The secret you typed when adding the webhook": "新增 Webhook 時您輸入的密鑰",
        "The endpoint's signing secret (whsec_…)": "端點的簽署密鑰（whsec_…）",
        "The signing secret of your Slack app": "您 Slack App 的 Signing Secret",
        "The secret starting with whsec_": "以 whsec_ 開頭的密鑰",
        "The password the service sends": "服務傳送的密碼",
        "The value the service puts in the header": "服務放在標頭中的值",
        "Saved in your system keychain.": "已存入系統鑰匙圈。",
        "No secret saved yet: deliveries will be turned away until you save it.":
            "尚未儲存密鑰：儲存之前，所有傳送都會被拒絕。",
        "Paste the secret first.": "請先貼上密鑰。",
    },
    "FilterHelpBox": {
        "Formatting help: dates, money, text, lists": "格式說明：日期、金額、文字、清單",
        "Put a filter after a field with | to change how it looks. Examples for a Shopify order:":
            "在欄位後面用 | 加上篩選器，就能改變顯示方式。以下是 Shopify 訂單的範例：",
    },
    "SecretEditor": {
        "Paste the address or token here": "在這裡貼上網址或權杖",
        "Save in keychain": "存入鑰匙圈",
        "Saved in your system keychain.": "已存入系統鑰匙圈。",
        "Nothing saved under this name yet: paste it above and press Save.":
            "這個名稱下還沒有儲存任何內容：請貼在上方並按「存入鑰匙圈」。",
        "Give it a name first.": "請先取一個名稱。",
        "Paste the address or token first.": "請先貼上網址或權杖。",
    },
    "SurveyCakeBox": {
        "SurveyCake": "SurveyCake",
        "This is a SurveyCake webhook": "這是 SurveyCake 的 Webhook",
        "Bellhop then fetches and decrypts each response's answers; cards use them as body.answers[\"question\"] or body.answers[\"1\"] (question number).":
            "Bellhop 會取得並解密每份填答；卡片可用 body.answers[\"題目\"] 或 body.answers[\"1\"]（題號）使用答案。",
        "Save keys": "儲存金鑰",
        "SurveyCake address": "SurveyCake 位址",
        "Hash Key": "Hash Key",
        "IV Key": "IV Key",
        "Both keys are under the survey's Settings › Webhook in SurveyCake; they go to your system keychain.":
            "兩把金鑰都在 SurveyCake 問卷的 設定 › Webhook 中；它們會存入您的系統鑰匙圈。",
        "Both keys are saved in your system keychain.": "兩把金鑰都已存入系統鑰匙圈。",
        "Paste the Hash Key and the IV Key, then press Save keys.": "請貼上 Hash Key 與 IV Key，再按「儲存金鑰」。",
        "Each key is 16 characters long: copy both from SurveyCake.": "每把金鑰都是 16 個字元：請從 SurveyCake 複製兩把金鑰。",
    },
    "UndoBar": {
        "Undo": "復原",
        "Close": "關閉",
    },
    # Plural forms: not extracted by lupdate yet (field_picker.py passes None as the
    # disambiguation); zh_TW has one form.
    "FieldPicker": {
        "1 field": "1 個欄位",
        "{n} fields": "{n} 個欄位",
        "1 item": "1 個項目",
        "{n} items": "{n} 個項目",
    },
    "TunnelForm": {
        "Give my rules a public web address with ngrok": "使用 ngrok 讓我的規則有公開網址",
        "Paste your ngrok authtoken": "貼上您的 ngrok authtoken",
        "Where do I find it?": "在哪裡可以找到？",
        "optional, e.g. my-shop.ngrok-free.app": "選填，例如 my-shop.ngrok-free.app",
        "Get a free domain": "取得免費網域",
        "empty: Bellhop downloads it the first time": "留空：Bellhop 會在第一次使用時下載",
        "Choose…": "選擇…",
        "Save and connect": "儲存並連線",
        "Retry now": "立即重試",
        "Nearest (automatic)": "最近的（自動）",
        "Asia / Pacific": "亞太地區",
        "Japan": "日本",
        "Australia": "澳洲",
        "India": "印度",
        "Europe": "歐洲",
        "United States": "美國",
        "South America": "南美洲",
        "Tunnel: a public web address": "通道：公開網址",
        "Shops, forms and chat bots on the internet cannot reach this computer by themselves. A free ngrok account gives your rules a public address; Bellhop keeps it open while it runs.":
            "網路上的商店、表單和聊天機器人無法自行連到這台電腦。免費的 ngrok 帳號能讓您的規則有一個公開網址；Bellhop 執行期間會一直保持它開啟。",
        "With a fixed domain your webhook addresses never change. Without one, they change each time Bellhop starts, and you must paste them into the services again.":
            "使用固定網域，您的 webhook 網址就永遠不會改變。沒有固定網域時，每次 Bellhop 啟動網址都會改變，您必須再把網址貼到各個服務中。",
        "Authtoken": "Authtoken",
        "Fixed domain": "固定網域",
        "Region": "地區",
        "ngrok program": "ngrok 程式",
        "Saved in the keychain. Paste a new one to replace it.": "已保存在鑰匙圈中。貼上新的即可取代。",
        "Choose the ngrok program": "選擇 ngrok 程式",
        "Paste your ngrok authtoken first: ngrok needs it to open a public address.":
            "請先貼上您的 ngrok authtoken：ngrok 需要它才能開啟公開網址。",
        "That does not look like an authtoken: copy the whole line from the ngrok dashboard.":
            "這看起來不像 authtoken：請從 ngrok 控制台複製完整的一行。",
        "The fixed domain looks like “my-shop.ngrok-free.app”: only the name, without a path.":
            "固定網域的樣子像「my-shop.ngrok-free.app」：只填名稱，不要加路徑。",
        "Saving…": "儲存中…",
        "Saved.": "已儲存。",
        "Saved. Your webhook addresses now work only on this computer.": "已儲存。您的 webhook 網址現在只能在這台電腦上使用。",
        "Open at {url}": "已開啟：{url}",
        "Connecting…": "連線中…",
        "The tunnel is not open.": "通道尚未開啟。",
        "Off: webhook addresses work only on this computer.": "關閉：webhook 網址只能在這台電腦上使用。",
    },
    "WelcomeDialog": {
        "Welcome to Bellhop": "歡迎使用 Bellhop",
        "Bellhop waits for web services (your shop, a form, a chat bot) to tell it that something happened, then runs the errands you chose: an email, a spreadsheet row, a call to another service. Three steps to your first rule:":
            "Bellhop 會等網路服務（您的商店、表單、聊天機器人）通知它發生了什麼事，再替您跑您選好的差事：寄一封電子郵件、在試算表加一列、呼叫另一個服務。三個步驟完成第一條規則：",
        "Skip for now": "先略過",
        "You can open this again from Help → Welcome…": "之後可以從「說明 → 歡迎使用…」再次開啟。",
        "Connect the tunnel": "連接通道",
        "Shops and forms on the internet need a public address to reach this computer. Bellhop makes one with ngrok; you need a free ngrok account.":
            "網路上的商店和表單需要一個公開網址才能連到這台電腦。Bellhop 透過 ngrok 建立這個網址；您需要一個免費的 ngrok 帳號。",
        "Set up the tunnel": "設定通道",
        "Pick a template": "選一個範本",
        "Start from a ready-made rule (a Shopify order → an email and a spreadsheet row, a website form → an email) and change what you like.":
            "從現成的規則開始（Shopify 訂單 → 寄信並在試算表加一列、網站表單 → 寄信），再依需要修改。",
        "New rule…": "新增規則…",
        "Send a test event": "傳送測試事件",
        "Bellhop listens for one delivery to your rule's address and keeps it as the sample; Run test then shows what each card would do.":
            "Bellhop 會等候一次傳送到規則網址的事件，並把它存為範例事件；接著按「執行測試」就能看到每個動作會做什麼。",
        "Listen for a test event": "等候測試事件",
    },
}
