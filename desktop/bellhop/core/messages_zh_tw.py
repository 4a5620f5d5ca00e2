"""Traditional Chinese (Taiwan) for every core message; tests check none is missing."""

ZH_TW: dict[str, str] = {
    "Bellhop cannot make the folder for {path}: a file called '{name}' is in the way. Rename or move that file, or pick another place for the spreadsheet.":
        "Bellhop 無法建立 {path} 所需的資料夾：有一個名為「{name}」的檔案擋住了。請將該檔案改名或移走，或為試算表選擇其他位置。",
    "The body could not be read as it was sent.": "無法照傳送的格式讀取內容。",
    "The window could not load ({reason}); testing the engine alone.":
        "無法載入視窗（{reason}），改為只測試引擎。",
    # retries (steps.py)
    "Bellhop will try again in {wait}.": "Bellhop 會在 {wait}後再試一次。",
    "Bellhop tried {n} times and stopped. Fix the problem, then press Retry in Activity.":
        "Bellhop 已試了 {n} 次並停止。請先解決問題，再到「活動」按「重試」。",
    "{n} seconds": "{n} 秒",
    "{n} minutes": "{n} 分鐘",
    # signatures (verify.py)
    "The Stripe-Signature header is not in Stripe's format.": "Stripe-Signature 標頭不是 Stripe 的格式。",
    "The delivery has no {header} header, so it cannot be checked.": "這次傳送沒有 {header} 標頭，無法驗證。",
    "The delivery was signed {seconds} seconds away from now (over {tolerance}): an old delivery sent again, or this computer's clock is wrong.":
        "這次傳送的簽章時間與現在相差 {seconds} 秒（超過 {tolerance} 秒）：可能是舊的傳送被重送，或這台電腦的時間不正確。",
    "The delivery's time stamp '{value}' is not a number.": "這次傳送的時間戳記「{value}」不是數字。",
    "The secret saved for this rule is not a Standard Webhooks secret (it should look like whsec_…).":
        "這條規則儲存的密鑰不是 Standard Webhooks 密鑰（應該長得像 whsec_…）。",
    "The signature does not match. Is the secret in Bellhop the same as the one the service shows?":
        "簽章不符。Bellhop 中的密鑰和服務上顯示的一樣嗎？",
    "The user name or password sent with the delivery is wrong.": "這次傳送附帶的使用者名稱或密碼不正確。",
    "The {header} header does not carry the right token.": "{header} 標頭的權杖不正確。",
    "This delivery could not be verified.": "無法驗證這次傳送。",
    "Left out: {headers}. Bellhop does not keep the credentials a sender sends; add them with -H 'Name: value' if the rule checks them.":
        "已略去：{headers}。Bellhop 不保存傳送方送來的憑證；若規則會檢查，請自行用 -H '名稱: 值' 加上。",
    "the 'basic' scheme needs a user name": "「basic」驗證方式需要使用者名稱",
    "the 'header' scheme needs the name of the header to check": "「header」驗證方式需要指定要檢查的標頭名稱",
    # core: files, rules, store, receiver
    "'{field}' is not a setting this card knows": "「{field}」不是這張卡片的設定項目",
    "'{tz}' is not a time zone name (try Asia/Taipei)": "「{tz}」不是時區名稱（例如 Asia/Taipei）",
    "'{value}' is not a date or time Bellhop can read": "Bellhop 看不懂日期或時間「{value}」",
    "'{value}' is not a number": "「{value}」不是數字",
    "(no webhook address: {problems})": "（沒有 Webhook 網址：{problems}）",
    "(not running: {problems})": "（未執行：{problems}）",
    "(nothing)": "（沒有欄位）",
    "(turned off)": "（已關閉）",
    "(unnamed rule)": "（未命名規則）",
    "Another rule already has the id '{id}'.": "另一條規則已使用代號「{id}」。",
    "Another rule already uses this webhook address.": "另一條規則已使用這個 Webhook 網址。",
    "Bellhop answers webhooks and runs errands for you.": "Bellhop 替您接收 Webhook 並自動處理後續工作。",
    "Bellhop cannot write to its data folder {home} ({reason}). Check that the disk is not full "
    "and that you may write there, or choose another folder with BELLHOP_HOME.":
        "Bellhop 無法寫入資料夾 {home}（{reason}）。請確認磁碟沒有滿、您有寫入權限，"
        "或用 BELLHOP_HOME 指定其他資料夾。",
    "Bellhop could not listen on port {port}: {reason}. Another program may use it; choose "
    "another port with --port.":
        "Bellhop 無法使用連接埠 {port}：{reason}。可能有其他程式正在使用，請用 --port 換一個連接埠。",
    "Bellhop could not open its event database {path}: {reason}. Check that the disk has free "
    "space and the folder can be written to.":
        "Bellhop 無法開啟事件資料庫 {path}：{reason}。請確認磁碟還有空間，且資料夾可以寫入。",
    "Bellhop could not save this delivery; please send it again.":
        "Bellhop 無法儲存這次的傳送，請重新傳送。",
    "Bellhop could not take this delivery; please send it again.":
        "Bellhop 無法接收這次的傳送，請重新傳送。",
    "Bellhop could not save to its event database: {reason}. Check that the disk has free space.":
        "Bellhop 無法寫入事件資料庫：{reason}。請確認磁碟還有空間。",
    "Bellhop could not save to its event database {path}: {reason}. Check that the file and "
    "its folder can be written to.":
        "Bellhop 無法寫入事件資料庫 {path}：{reason}。請確認這個檔案和它的資料夾可以寫入。",
    "The event database {path} was deleted or replaced while Bellhop was running, so nothing "
    "more can be saved in it. Restart Bellhop; until then deliveries are refused and their "
    "senders asked to send them again.":
        "Bellhop 執行時，事件資料庫 {path} 被刪除或被其他檔案取代，已無法再儲存任何資料。"
        "請重新啟動 Bellhop；在那之前收到的傳送都會被拒絕，並請傳送方稍後重送。",
    "Bellhop is already running with the data folder {home}. Use that one, or quit it first.":
        "Bellhop 已經在使用資料夾 {home} 執行中。請使用那一個，或先將它結束。",
    "Bellhop is listening. Data folder: {home}": "Bellhop 正在等候 Webhook。資料夾：{home}",
    "FAILED": "失敗",
    "No events yet.": "還沒有任何事件。",
    "No rules yet: add some to {path}": "還沒有規則：請在 {path} 加入規則",
    "No system keychain is available to keep passwords safe. On Linux install and unlock a "
    "keyring such as GNOME Keyring or KWallet (packages gnome-keyring or kwalletmanager), or "
    "choose a keyring backend with the environment variable PYTHON_KEYRING_BACKEND.":
        "找不到系統鑰匙圈來安全保存密碼。Linux 請安裝並解鎖 GNOME Keyring 或 KWallet"
        "（套件 gnome-keyring 或 kwalletmanager），或用環境變數 PYTHON_KEYRING_BACKEND 指定。",
    "Nothing here.": "這裡沒有東西。",
    "Nothing was entered; the keychain was not changed.": "沒有輸入任何內容，鑰匙圈沒有變更。",
    "Removed '{name}' from the keychain.": "已從鑰匙圈移除「{name}」。",
    "Rule": "規則",
    "Saved '{name}' in the system keychain.": "已將「{name}」存入系統鑰匙圈。",
    "Secret for '{name}': ": "「{name}」的密碼：",
    "Self test failed: {reason}": "自我測試失敗：{reason}",
    "Self test: the receiver answered {status}.": "自我測試：接收器回應了 {status}。",
    "Something unexpected went wrong in this step ({kind}: {detail}). Please report it.":
        "這個步驟發生了意外的錯誤（{kind}：{detail}）。請回報這個問題。",
    "Step {n} ({card})": "第 {n} 步（{card}）",
    "Step {n}: '{type}' is not a kind of step Bellhop knows.":
        "第 {n} 步：Bellhop 不認得「{type}」這種步驟。",
    "Stopping…": "正在停止…",
    "Template mistake on line {line}: {reason}": "範本第 {line} 行有錯誤：{reason}",
    "The JSON is nested too deeply.": "JSON 的層數太深。",
    "The account '{name}' is a {actual} account, but this step needs a {kind} account.":
        "帳號「{name}」是 {actual} 帳號，但這個步驟需要 {kind} 帳號。",
    "The body is larger than {limit} bytes.": "內容超過 {limit} 位元組。",
    "The body is not valid JSON: {reason}": "內容不是有效的 JSON：{reason}",
    "The body took too long to arrive.": "內容傳送太久。",
    "The event database is closed.": "事件資料庫已關閉。",
    "The field '{field}' is not in this event.": "這個事件沒有欄位「{field}」。",
    "The field '{field}' is not in this event. Fields at {where}: {keys}.":
        "這個事件沒有欄位「{field}」。{where} 底下的欄位有：{keys}。",
    "The keychain could not be read: {reason}": "無法讀取鑰匙圈：{reason}",
    "The keychain refused to save '{name}': {reason}": "鑰匙圈拒絕儲存「{name}」：{reason}",
    "The multipart form could not be read.": "無法讀取多部分表單內容。",
    "The rule for this event no longer exists.": "這個事件的規則已不存在。",
    "The secret '{name}' is not in the keychain. Enter it again in Bellhop (or run: bellhop "
    "secret set {name}).":
        "鑰匙圈中沒有「{name}」。請在 Bellhop 重新輸入（或執行：bellhop secret set {name}）。",
    "The template could not be filled in: {reason}": "無法填入範本：{reason}",
    "The template produced too much text (over 1 MB).": "範本產生的文字太多（超過 1 MB）。",
    "The template tries to reach something it may not ({detail}).":
        "範本嘗試存取不允許的東西（{detail}）。",
    # template limits (template_limits.py, template_sandbox.py, templating.py, formatters.py)
    "This template would make a text or list too big to handle (over {limit} characters). Check the numbers it repeats, pads or widens by.":
        "這個範本會產生太大的文字或清單（超過 {limit} 個字元），無法處理。請檢查它重複、補齊或加寬所用的數字。",
    "This template would make a number too long to handle (over {limit} digits).":
        "這個範本會產生位數太多的數字（超過 {limit} 位），無法處理。",
    "This template makes too much text in all while it is filled in (over {limit} characters). Look for loops that add to a text or list many times.":
        "這個範本在填入時總共產生太多文字（超過 {limit} 個字元）。請找出多次加長文字或清單的迴圈。",
    "This template builds a table with too many entries at once (over {limit}).":
        "這個範本一次建立的對照表項目太多（超過 {limit} 項）。",
    "This template is too long: {size} characters (at most {limit}).":
        "這個範本太長：{size} 個字元（最多 {limit} 個）。",
    "This template has too many places to fill in: {count} (at most {limit}).":
        "這個範本要填入的地方太多：{count} 處（最多 {limit} 處）。",
    "This template has too many brackets, filters or blocks inside one another (at most {limit}).":
        "這個範本裡層層相套的括號、篩選器或區塊太多（最多 {limit} 層）。",
    "This template could not be read: {reason}": "無法讀取這個範本：{reason}",
    "This template has too much in its fields and blocks (more than {limit} words and signs). Split it into smaller templates.":
        "這個範本的欄位與區塊內容太多（超過 {limit} 個字詞與符號）。請拆成幾個較小的範本。",
    "This template takes too long to fill in (over {seconds} seconds). Look for loops that run many times.":
        "這個範本填入時間太長（超過 {seconds} 秒）。請找出執行很多次的迴圈。",
    "'{value}' has too many digits to show (at most {limit}).": "「{value}」的位數太多，無法顯示（最多 {limit} 位）。",
    "A number cannot be shown with {decimals} decimal places (at most {limit}).":
        "數字無法顯示到小數點後 {decimals} 位（最多 {limit} 位）。",
    "There is no account called '{name}'. Add it under Accounts, or pick another one in this "
    "step.": "沒有名為「{name}」的帳號。請在「帳號」中新增，或在這個步驟選擇其他帳號。",
    "There was no secret called '{name}'.": "鑰匙圈中沒有「{name}」。",
    "This address does not take that method.": "這個網址不接受這種請求方法。",
    "This address only understands “Expect: 100-continue”.": "這個網址只接受「Expect: 100-continue」。",
    "This address does not take {method} requests.": "這個網址不接受 {method} 請求。",
    "This rule has a problem; fix it in Bellhop.": "這條規則有問題，請在 Bellhop 中修正。",
    "This rule is not an object.": "這條規則的格式不正確。",
    "Trigger": "觸發條件",
    "address to listen on (127.0.0.1)": "接收的位址（127.0.0.1）",
    "broken JSON at line {line}, column {col}": "JSON 在第 {line} 行第 {col} 欄損壞",
    "done": "完成",
    "keep passwords and tokens in the keychain": "將密碼與權杖存入鑰匙圈",
    "list recent events and their runs": "列出最近的事件與執行結果",
    "make the webhook addresses public (none)": "讓 Webhook 網址可從外部連線（none）",
    "port to listen on (8765)": "接收的連接埠（8765）",
    "read a secret from standard input": "從標準輸入讀取密碼",
    "remove a secret": "移除密碼",
    "rules.json changed: rules reloaded.": "rules.json 已變更：規則已重新載入。",
    "run without a window": "不開視窗執行",
    "skipped (filter)": "略過（不符合篩選條件）",
    "start, post a webhook to itself, check it arrived, exit":
        "啟動、傳送 Webhook 給自己、確認收到後結束",
    "step {n} ({label}) will be tried again: {error}": "第 {n} 步（{label}）稍後會再試一次：{error}",
    "the field '{field}' is empty": "欄位「{field}」是空的",
    "the field '{field}' is missing": "缺少欄位「{field}」",
    "the field '{field}' must be one of: {expected}": "欄位「{field}」必須是以下其中之一：{expected}",
    "the field '{field}': {reason}": "欄位「{field}」：{reason}",
    "the text is not UTF-8": "文字不是 UTF-8 編碼",
    "the top level": "最上層",
    "the webhook token must be 22 to 128 letters, digits, '-' or '_'":
        "Webhook 權杖必須是 22 到 128 個英文字母、數字、「-」或「_」",
    "waiting": "等待中",
    "{field}: {problem}": "{field}：{problem}",
    "{name} could not be read ({reason}). It was kept as {moved} and Bellhop started without it.":
        "無法讀取 {name}（{reason}）。已保留為 {moved}，Bellhop 先在沒有它的情況下啟動。",
    "{path} was written by a newer Bellhop. Update Bellhop to open it.":
        "{path} 是由較新版本的 Bellhop 建立的。請更新 Bellhop 後再開啟。",
    # actions: send_email, append_file, http_request
    "The mail server {host} could not be used: {reason}. Check the settings of account '{name}'.":
        "無法使用郵件伺服器 {host}：{reason}。請檢查帳號「{name}」的設定。",
    "{field} contains a line break, which an email header may not have. Check the template and the event data it uses.":
        "{field}含有換行，電子郵件標頭不能有換行。請檢查範本及它使用的事件資料。",
    "{field} contains an invisible control character, which an email header may not have. Check the template and the event data it uses.":
        "{field}含有看不見的控制字元，電子郵件標頭不能有這種字元。請檢查範本及它使用的事件資料。",
    "The sender address of account '{name}' contains a line break or another invisible character. Fix it under Accounts.":
        "帳號「{name}」的寄件人地址含有換行或其他看不見的字元。請到「帳號」修正。",
    "{field}: '{text}' is not an email address.":
        "{field}：「{text}」不是電子郵件地址。",
    "The account '{name}' has no usable mail server settings (server name and security: STARTTLS, SSL or none). Fix it under Accounts.":
        "帳號「{name}」沒有可用的郵件伺服器設定（伺服器名稱及安全性：STARTTLS、SSL 或無）。請到「帳號」修正。",
    "The account '{name}' has an invalid port number. Fix it under Accounts.":
        "帳號「{name}」的連接埠號碼無效。請到「帳號」修正。",
    "The mail server did not accept the username or password of account '{name}': check it under Accounts (Gmail needs an app password).":
        "郵件伺服器不接受帳號「{name}」的使用者名稱或密碼：請到「帳號」檢查（Gmail 需要使用應用程式密碼）。",
    "The mail server refused the address {address}: {reply}. Check the address.":
        "郵件伺服器拒絕了地址 {address}：{reply}。請檢查這個地址。",
    "The mail server refused the message: {reply}. Check the addresses and the settings of account '{name}'.":
        "郵件伺服器拒收這封信：{reply}。請檢查收件地址及帳號「{name}」的設定。",
    "Could not open a secure connection to the mail server {host}. Check the port and security setting (STARTTLS or SSL) of account '{name}'.":
        "無法與郵件伺服器 {host} 建立安全連線。請檢查帳號「{name}」的連接埠及安全性設定（STARTTLS 或 SSL）。",
    "The mail server {host} did not answer in time.":
        "郵件伺服器 {host} 沒有及時回應。",
    "Could not reach the mail server {host} (account '{name}'). Check the server name, the port and the internet connection.":
        "無法連線到郵件伺服器 {host}（帳號「{name}」）。請檢查伺服器名稱、連接埠和網路連線。",
    "The account '{name}' has no valid sender address ('{text}'). Fix it under Accounts.":
        "帳號「{name}」沒有有效的寄件人地址（「{text}」）。請到「帳號」修正。",
    "{field} is empty: the email needs at least one address.":
        "{field}是空的：這封電子郵件至少需要一個地址。",
    "The mail server cannot take the message for now ({reply}).":
        "郵件伺服器目前無法收下這封信（{reply}）。",
    "Bellhop can add rows to .xlsx and .csv files, not to '{name}'. Pick a file ending in .xlsx (Excel workbook) or .csv.":
        "Bellhop 只能在 .xlsx 和 .csv 檔案新增列，無法用於「{name}」。請選擇副檔名為 .xlsx（Excel 活頁簿）或 .csv 的檔案。",
    "'{sheet}' cannot be an Excel sheet name: use at most 31 characters and none of [ ] : * ? / \\.":
        "「{sheet}」不能當作 Excel 工作表名稱：最多 31 個字元，且不能含有 [ ] : * ? / \\。",
    "The file {path} is not saved as UTF-8, so Chinese text would be garbled. Open it in Excel and save it as 'CSV UTF-8', then try again.":
        "檔案 {path} 不是以 UTF-8 儲存，中文會變成亂碼。請用 Excel 開啟，另存為「CSV UTF-8」後再試一次。",
    "Bellhop is not allowed to write to {path}. Pick a folder you can save files in, such as Documents.":
        "Bellhop 沒有權限寫入 {path}。請選擇您可以儲存檔案的資料夾，例如「文件」。",
    "Could not write to {path}: {reason}.":
        "無法寫入 {path}：{reason}。",
    "The file {path} could not be read as an Excel workbook. Check that it opens in Excel, or pick another file.":
        "無法將檔案 {path} 當作 Excel 活頁簿讀取。請確認它能用 Excel 開啟，或選擇其他檔案。",
    "The file is open in another program (Excel?). Close it.":
        "這個檔案正在其他程式（Excel？）中開啟。請將它關閉。",
    "(empty answer)":
        "（沒有回應內容）",
    "{host} answered {status}: {answer}. Check the address, the headers and the body of this step.":
        "{host} 回應 {status}：{answer}。請檢查這個動作的網址、標頭和內容。",
    "Could not reach {host}. Check the address and the internet connection.":
        "無法連線到 {host}。請檢查網址和網路連線。",
    "'{url}' is not a web address. It should start with https:// or http://.":
        "「{url}」不是網址。網址應以 https:// 或 http:// 開頭。",
    "{host} answered {status} (busy or having trouble): {answer}.":
        "{host} 回應 {status}（忙碌中或發生問題）：{answer}。",
    "The secure connection to {host} could not be trusted (its certificate is not valid). Check the address.":
        "無法信任與 {host} 的安全連線（它的憑證無效）。請檢查網址。",
    "{host} sent Bellhop from address to address without end. Check the address.":
        "{host} 不斷把 Bellhop 轉到其他網址，沒有盡頭。請檢查網址。",
    "{host} did not answer within {seconds} seconds.":
        "{host} 在 {seconds} 秒內沒有回應。",
    "'{name}' is not a valid header name: use letters, digits and dashes.":
        "「{name}」不是有效的標頭名稱：請只用英文字母、數字和連字號。",
    "The header '{name}' contains a line break, which is not allowed. Check the template and the event data it uses.":
        "標頭「{name}」含有換行，這是不允許的。請檢查範本及它使用的事件資料。",
    "The header '{name}' contains an invisible control character, which is not allowed. Check the template and the event data it uses.":
        "標頭「{name}」含有看不見的控制字元，這是不允許的。請檢查範本及它使用的事件資料。",
    "The body is not valid JSON (line {line}, column {column}). Put text values in with the tojson filter, for example {example}, which adds the quotes and escapes for you.":
        "內容不是有效的 JSON（第 {line} 行，第 {column} 個字元）。文字值請用 tojson 篩選器放入，例如 {example}，它會自動加上引號並處理跳脫字元。",
    "every column needs a header name":
        "每個欄位都需要標題名稱",
    # tunnel (core/tunnel_ngrok.py, service.py, cli.py)
    "Could not download the tunnel program. Check the internet connection, then press Retry.":
        "無法下載通道程式。請檢查網路連線，然後按「重試」。",
    "ngrok did not accept the authtoken. Copy it again from {page} and paste it under Accounts › Tunnel.":
        "ngrok 不接受這個驗證權杖（authtoken）。請從 {page} 重新複製，再貼到「帳號 › 通道」。",
    "ngrok allows only one tunnel program at a time on your plan, and another one is running with this authtoken (maybe on another computer). Close it, then press Retry.":
        "你的 ngrok 方案一次只允許一個通道程式，而另一個正以這個驗證權杖執行中（可能在另一台電腦上）。請先關閉它，然後按「重試」。",
    "The tunnel could not be opened ({detail}). Bellhop will try again; webhooks still work on this computer.":
        "無法開啟通道（{detail}）。Bellhop 會再試一次；在這台電腦上 webhook 仍可使用。",
    "The tunnel program stopped. Bellhop is starting it again.": "通道程式已停止，Bellhop 正在重新啟動它。",
    "The tunnel closed. Bellhop is opening it again.": "通道已關閉，Bellhop 正在重新開啟。",
    "The tunnel program was not found at {path}. Check the program path under Accounts › Tunnel.":
        "在 {path} 找不到通道程式。請到「帳號 › 通道」檢查程式路徑。",
    "The tunnel opened without a public address.": "通道已開啟，但沒有取得公開網址。",
    "There is no public address yet: the tunnel is not open.": "還沒有公開網址：通道尚未開啟。",
    "The outside could not reach Bellhop at {base}. Wait a moment and check again.":
        "外部無法透過 {base} 連到 Bellhop。請稍候再檢查一次。",
    "The public address answered with an error ({status}).": "公開網址回應了錯誤（{status}）。",
    "The outside can reach Bellhop ({ms} ms there and back).": "外部可以連到 Bellhop（來回 {ms} 毫秒）。",
    "Tunnel: connecting…": "通道：連線中…",
    "Tunnel: down. {reason} Webhooks still work on this computer.":
        "通道：中斷。{reason} 在這台電腦上 webhook 仍可使用。",
    "Tunnel: up at {url}": "通道：已開啟，網址 {url}",
    "Your webhook addresses changed: update them in the services that send to Bellhop (Shopify, LINE…).":
        "你的 webhook 網址已變更：請到傳送給 Bellhop 的服務（Shopify、LINE…）更新網址。",
    "Tunnel: closed.": "通道：已關閉。",
    # chat, LINE, desktop notices, SurveyCake (actions/notify_chat.py, line_reply.py, ...)
    "Could not reach LINE. Check the internet connection.": "無法連上 LINE，請檢查網路連線。",
    "Could not reach SurveyCake ({host}) to get the answers.": "無法連上 SurveyCake（{host}）取得填答。",
    "Could not reach {service}. Check the internet connection; Bellhop will try again.":
        "無法連上 {service}。請檢查網路連線；Bellhop 會再試一次。",
    "LINE did not accept the channel access token ({detail}). Issue it again in the LINE Developers console and save it in Bellhop.":
        "LINE 不接受頻道存取權杖（{detail}）。請在 LINE Developers 主控台重新發行，並儲存到 Bellhop。",
    "LINE did not accept the reply ({status}: {detail}).": "LINE 不接受這則回覆（{status}：{detail}）。",
    "LINE is busy or having trouble ({status}).": "LINE 忙碌中或發生問題（{status}）。",
    "LINE refused the reply token: it was used already or is over a minute old. A reply must be sent soon after the message arrives.":
        "LINE 拒絕了回覆權杖：它已被使用過，或已超過一分鐘。回覆必須在收到訊息後不久送出。",
    "LINE takes at most {n} messages in one reply; this one has {count}.":
        "LINE 一次回覆最多 {n} 則訊息，這次有 {count} 則。",
    "Message {number} of the reply has {count} characters; LINE takes at most {n}. Shorten it, for example with the truncate filter.":
        "回覆的第 {number} 則訊息有 {count} 個字，LINE 最多接受 {n} 個字。請縮短內容，例如使用 truncate 篩選器。",
    "Notice: {title}": "通知：{title}",
    "SurveyCake did not give the answers ({status}). Check the SurveyCake address of this rule; the response may also have been deleted.":
        "SurveyCake 沒有提供填答（{status}）。請檢查這條規則的 SurveyCake 位址；這份填答也可能已被刪除。",
    "SurveyCake is busy or having trouble ({status}).": "SurveyCake 忙碌中或發生問題（{status}）。",
    "SurveyCake's answers could not be decrypted. Check that the Hash Key and the IV Key saved in Bellhop are the ones of this survey.":
        "無法解密 SurveyCake 的填答。請確認 Bellhop 中儲存的 Hash Key 與 IV Key 是這份問卷的金鑰。",
    "Test run: the channel access token works (bot {name}); the reply itself is sent only for real messages.":
        "測試執行：頻道存取權杖可以使用（機器人 {name}）；真正的回覆只會在收到真實訊息時送出。",
    "The SurveyCake {which} should be 16 characters long, but the saved one has {count}. Copy it again from SurveyCake (survey › Settings › Webhook).":
        "SurveyCake 的 {which} 應為 16 個字元，但儲存的有 {count} 個。請從 SurveyCake 重新複製（問卷 › 設定 › Webhook）。",
    "The address saved under '{name}' is not a web address. It should start with https://.":
        "「{name}」儲存的不是網址，應該以 https:// 開頭。",
    "This Bellhop cannot read SurveyCake answers.": "這個 Bellhop 無法讀取 SurveyCake 填答。",
    "This address expects SurveyCake's svid and hash fields.": "這個網址需要 SurveyCake 的 svid 與 hash 欄位。",
    "This delivery is not from SurveyCake: it has no valid svid and hash fields.":
        "這次傳送不是來自 SurveyCake：沒有有效的 svid 與 hash 欄位。",
    "This event has no reply token: only message, follow and postback events can be answered.":
        "這個事件沒有回覆權杖：只有訊息、加入好友與 postback 事件可以回覆。",
    "What is saved as '{name}' is not {what}. Copy it again from {where} and save it in Bellhop.":
        "「{name}」儲存的內容不是{what}。請從{where}重新複製，並儲存到 Bellhop。",
    "What is saved as '{name}' contains a line break or another invisible character. Copy it again from {where} and save it in Bellhop.":
        "儲存為「{name}」的內容含有換行或其他看不見的字元。請從{where}重新複製，並儲存到 Bellhop。",
    "The channel access token saved as '{name}' contains a line break or another invisible character. Copy it again from the LINE Developers console and save it in Bellhop.":
        "儲存為「{name}」的頻道存取權杖含有換行或其他看不見的字元。請從 LINE Developers 主控台重新複製，並儲存到 Bellhop。",
    "{field} is empty: the notice needs a title.": "{field}是空的：通知需要標題。",
    "{field} is empty: there is nothing to reply.": "{field}是空的：沒有可以回覆的內容。",
    "{field} is empty: there is nothing to send.": "{field}是空的：沒有可以傳送的內容。",
    "{service} checked the address of “{rule}”: it works.": "{service} 檢查了「{rule}」的網址：可以正常使用。",
    "{service} did not accept the message ({status}). Check the message and the settings of this card.":
        "{service} 不接受這則訊息（{status}）。請檢查訊息內容與這張卡片的設定。",
    "{service} did not accept the webhook address or token saved as '{name}' ({status}). Copy it again from {where} and save it in Bellhop.":
        "{service} 不接受儲存為「{name}」的 Webhook 網址或權杖（{status}）。請從{where}重新複製，並儲存到 Bellhop。",
    "{service} did not answer within {seconds} seconds.": "{service} 在 {seconds} 秒內沒有回應。",
    "{service} does not know this webhook or chat ({status}): it may have been deleted, or the ID in '{field}' is wrong. Copy the address again from {where}.":
        "{service} 找不到這個 Webhook 或聊天室（{status}）：可能已被刪除，或「{field}」中的 ID 有誤。請從{where}重新複製網址。",
    "{service} is busy or having trouble ({status}).": "{service} 忙碌中或發生問題（{status}）。",
    "{service} needs to know where to send: fill in '{field}'.": "{service} 需要知道要傳給誰：請填寫「{field}」。",
    "{service} says the message is too long. Shorten it.": "{service} 表示訊息太長，請縮短內容。",
    "Downloading the tunnel program ({percent} %)…": "正在下載通道程式（{percent}%）…",
    "Downloading the tunnel program…": "正在下載通道程式…",
    # start at login (autostart.py)
    "Bellhop could not change what starts when you log in ({reason}). Check that your settings folder can be written to, then try again.":
        "Bellhop 無法變更登入時要啟動的程式（{reason}）。請確認設定資料夾可以寫入，然後再試一次。",
    "start in the tray without opening the window (used at login)": "在系統匣中啟動，不開啟視窗（登入時使用）",
    # Google Sheets (core/google.py, core/google_oauth.py, actions/sheets_api.py, append_sheet.py)
    "'{text}' is not a Google Sheets address. Open the spreadsheet in your browser and copy the whole address (it looks like https://docs.google.com/spreadsheets/d/…).":
        "「{text}」不是 Google 試算表的網址。請在瀏覽器中開啟試算表，複製完整的網址（看起來像 https://docs.google.com/spreadsheets/d/…）。",
    "Could not reach Google Sheets. Check the internet connection.": "無法連線到 Google 試算表。請檢查網路連線。",
    "Could not reach Google's sign-in service ({host}). Check the internet connection.":
        "無法連線到 Google 的登入服務（{host}）。請檢查網路連線。",
    "Give the account a name; your rules use it to pick this account.": "請為帳號取個名稱；規則會用這個名稱選擇帳號。",
    "Google Sheets cannot find the spreadsheet {id}. Check the address in this step, and that the spreadsheet was not deleted.":
        "Google 試算表找不到試算表 {id}。請檢查這個步驟中的網址，並確認試算表沒有被刪除。",
    "Google Sheets did not answer within {seconds} seconds.": "Google 試算表在 {seconds} 秒內沒有回應。",
    "Google Sheets is busy or having trouble ({status}). Bellhop will try again.":
        "Google 試算表目前忙碌或發生問題（{status}）。Bellhop 會再試一次。",
    "Google Sheets refused the request ({status} {kind}): {message}": "Google 試算表拒絕了這個要求（{status} {kind}）：{message}",
    "Google did not accept the sign-in of account '{name}'. Reconnect your Google account under Accounts (sign in again, or pick the key file again).":
        "Google 不接受帳號「{name}」的登入。請到「帳號」重新連結您的 Google 帳號（重新登入，或重新選擇金鑰檔案）。",
    "Google did not finish the sign-in ({reason}). Check the OAuth client ID and secret, then try again.":
        "Google 沒有完成登入（{reason}）。請檢查 OAuth 用戶端 ID 和密鑰，然後再試一次。",
    "Google did not let Bellhop in ({reason}). Press 'Sign in with Google' again and choose Allow.":
        "Google 沒有讓 Bellhop 登入（{reason}）。請再按一次「使用 Google 登入」並選擇「允許」。",
    "Signing in was cancelled. You can close this tab.": "已取消登入。您可以關閉這個分頁。",
    "Signing in was not finished within {minutes} minutes. Press 'Sign in with Google' to try again.":
        "{minutes} 分鐘內沒有完成登入。請按「使用 Google 登入」再試一次。",
    "The Google Sheets API is turned off for the Google Cloud project of account '{name}'. Turn it on in Google Cloud Console (APIs & Services → Library → Google Sheets API), wait a minute, then try again.":
        "帳號「{name}」所屬的 Google Cloud 專案沒有開啟 Google Sheets API。請到 Google Cloud Console（API 和服務 → 程式庫 → Google Sheets API）開啟它，等一分鐘後再試一次。",
    "The Google account '{name}' cannot edit this spreadsheet. Ask its owner to share it with you as an Editor.":
        "Google 帳號「{name}」無法編輯這份試算表。請試算表的擁有者以「編輯者」權限把它共用給您。",
    "The account '{name}' cannot edit this spreadsheet. Open it in Google Sheets, press Share, and add {email} as an Editor.":
        "帳號「{name}」無法編輯這份試算表。請在 Google 試算表中開啟它，按「共用」，把 {email} 加為「編輯者」。",
    "The file {path} could not be read: {reason}.": "無法讀取檔案 {path}：{reason}。",
    "The key file has no {fields}. Download a new JSON key for the service account and pick that one.":
        "金鑰檔案缺少 {fields}。請為服務帳戶下載新的 JSON 金鑰，並選擇那個檔案。",
    "The key file's private key is damaged. Download a new JSON key for the service account and pick that one.":
        "金鑰檔案中的私密金鑰已損壞。請為服務帳戶下載新的 JSON 金鑰，並選擇那個檔案。",
    "The sheet '{sheet}' has no column {names}. Add it to the first row of the sheet, or turn on 'Add missing columns' in this step.":
        "工作表「{sheet}」沒有欄位 {names}。請把它加到工作表的第一列，或在這個步驟開啟「自動新增缺少的欄位」。",
    "Bellhop added the row ({range}) but could not make sure it sits under the right headers: {reason} Look at the row in the sheet; Retry would add it a second time.":
        "Bellhop 已新增這一列（{range}），但無法確認它位於正確的欄位標題下：{reason} 請到工作表查看這一列；按「重試」會再新增一次。",
    "Google Sheets did not say where it put the row.": "Google 試算表沒有說明它把這一列放在哪裡。",
    "The column {names} left the sheet '{sheet}' (deleted or renamed) while Bellhop was adding the row, so Bellhop emptied the row again rather than leave values under the wrong headers. Put the column back in the first row of the sheet, or turn on 'Add missing columns' in this step, then press Retry.":
        "Bellhop 新增這一列時，欄位 {names} 從工作表「{sheet}」中消失了（被刪除或改名），所以 Bellhop 已清空這一列，以免內容放在錯誤的欄位標題下。請把這個欄位放回工作表的第一列，或在這個步驟開啟「自動新增缺少的欄位」，然後按「重試」。",
    "The columns {names} of the sheet '{sheet}' kept moving while Bellhop was adding the row, so Bellhop emptied the row again rather than leave values under the wrong headers.":
        "Bellhop 新增這一列時，工作表「{sheet}」的欄位 {names} 一直被移動，所以 Bellhop 已清空這一列，以免內容放在錯誤的欄位標題下。",
    "The spreadsheet has no tab called '{sheet}'. Check the tab name at the bottom of the spreadsheet (capitals and spaces count).":
        "試算表中沒有名為「{sheet}」的工作表。請檢查試算表下方的工作表名稱（大小寫和空格都要相同）。",
    "The spreadsheet has no tab called '{sheet}'. Its tabs are: {tabs}. Fix the tab name in this step (capitals and spaces count).":
        "試算表中沒有名為「{sheet}」的工作表。它的工作表有：{tabs}。請修正這個步驟中的工作表名稱（大小寫和空格都要相同）。",
    "There is already an account called '{name}' that is not a Google account. Choose another name.":
        "已經有一個名為「{name}」的帳號，而且不是 Google 帳號。請換一個名稱。",
    "There is no file {path}. Check the name and the folder.": "沒有檔案 {path}。請檢查檔名和資料夾。",
    "This file is not a Google key file (it is not JSON). In Google Cloud Console, open the service account, then Keys → Add key → Create new key → JSON, and pick the file that downloads.":
        "這個檔案不是 Google 金鑰檔案（不是 JSON）。請在 Google Cloud Console 開啟服務帳戶，選「金鑰 → 新增金鑰 → 建立新的金鑰 → JSON」，再選擇下載的檔案。",
    "This file is not a service-account key. Pick the JSON key of a service account (Google Cloud Console → IAM → Service accounts → Keys), not an OAuth client file.":
        "這個檔案不是服務帳戶金鑰。請選擇服務帳戶的 JSON 金鑰（Google Cloud Console → IAM → 服務帳戶 → 金鑰），而不是 OAuth 用戶端檔案。",
    "This sign-in page is out of date. Go back to Bellhop and press 'Sign in with Google' again.":
        "這個登入頁面已經過期。請回到 Bellhop，再按一次「使用 Google 登入」。",
    "Type the OAuth client ID first (see the README: 'Creating an OAuth client').":
        "請先輸入 OAuth 用戶端 ID（請見 README 的「Creating an OAuth client」）。",
    "You are signed in. You can close this tab and go back to Bellhop.": "您已登入。可以關閉這個分頁，回到 Bellhop。",
    "There is no Google account called '{name}'.": "沒有名為「{name}」的 Google 帳號。",
    "add accounts that need more than a password": "新增需要比密碼更多資料的帳號",
    "add a Google service account from its JSON key file": "從 JSON 金鑰檔案新增 Google 服務帳戶",
    "the account's name in your rules": "規則中使用的帳號名稱",
    "the service account's JSON key file": "服務帳戶的 JSON 金鑰檔案",
    "Added the Google account '{name}'. Share your spreadsheets with {email} (as Editor) so Bellhop can add rows to them.":
        "已新增 Google 帳號「{name}」。請把試算表以「編輯者」權限共用給 {email}，Bellhop 才能新增資料列。",
    "The key is in the system keychain now; you may delete the downloaded file.": "金鑰已存入系統鑰匙圈；您可以刪除下載的檔案。",
    # files a person edits (jsonfile.py, rules.py, accounts.py, service.py)
    "{name}, line {line}, column {column}: {reason}.": "{name} 第 {line} 行第 {column} 欄：{reason}。",
    "{name}: {reason}.": "{name}：{reason}。",
    "it cannot be read ({reason})": "無法讀取（{reason}）",
    "it is nested too deeply": "層層巢狀太深",
    "it must hold one object, {example}": "檔案內必須是一個物件，例如 {example}",
    "'version' must be a whole number": "「version」必須是整數",
    "it was written by a newer Bellhop (version {version}); update Bellhop to use it":
        "這是較新版本的 Bellhop 寫的（版本 {version}）；請更新 Bellhop 後再使用",
    "'{key}' must be {example}": "「{key}」必須是 {example}",
    "a comma is missing before this": "這裡之前少了一個逗號",
    "a colon (:) is missing after the name": "名稱後面少了冒號（:）",
    "a value is missing here (or there is a comma too many before it)": "這裡少了一個值（或前面多了一個逗號）",
    "a name in double quotes is expected here (or there is a comma too many before it)":
        "這裡應該是用雙引號括起來的名稱（或前面多了一個逗號）",
    "a text starting here has no closing quote": "從這裡開始的文字沒有結尾的引號",
    "a text has a line break or tab in it (write \\n or \\t)": "文字中有換行或定位字元（請寫成 \\n 或 \\t）",
    "there is more after the end of the file's object": "檔案的物件結束後還有其他內容",
    "a backslash must be written as \\\\": "反斜線必須寫成 \\\\",
    "the field '{field}' must be true or false, without quotes": "欄位「{field}」必須是 true 或 false，不加引號",
    "the field '{field}' must be a whole number, without quotes": "欄位「{field}」必須是整數，不加引號",
    "the field '{field}' must be a number, without quotes": "欄位「{field}」必須是數字，不加引號",
    "the field '{field}' must be text in double quotes": "欄位「{field}」必須是用雙引號括起來的文字",
    "the field '{field}' must be a list, [ … ]": "欄位「{field}」必須是清單 [ … ]",
    "the field '{field}' must be an object, {{ … }}": "欄位「{field}」必須是物件 {{ … }}",
    "there is no email account called '{name}'. Add it under Accounts, or choose another.":
        "沒有名為「{name}」的電子郵件帳號。請在「帳號」新增，或選擇其他帳號。",
    "there is no Google account called '{name}'. Add it under Accounts, or choose another.":
        "沒有名為「{name}」的 Google 帳號。請在「帳號」新增，或選擇其他帳號。",
    "'{name}' is not an email account.": "「{name}」不是電子郵件帳號。",
    "'{name}' is not a Google account.": "「{name}」不是 Google 帳號。",
    "there is no account called '{name}'.": "沒有名為「{name}」的帳號。",
    "the account '{name}' is not of the kind this card needs.": "帳號「{name}」不是這張卡片需要的類型。",
    "the accounts cannot be read now: {problem}": "目前無法讀取帳號：{problem}",
    "the account '{name}' must be an object, {{ … }}": "帳號「{name}」必須是物件 {{ … }}",
    "the account '{name}' needs a \"kind\" (\"smtp\" or \"google\")":
        "帳號「{name}」需要「kind」（\"smtp\" 或 \"google\"）",
    "Bellhop keeps using the accounts it had until the file is fixed.": "在檔案修正之前，Bellhop 會繼續使用原本的帳號。",
    "Bellhop started without the accounts in it; rules that use them wait until the file is fixed.":
        "Bellhop 已啟動，但沒有載入其中的帳號；用到這些帳號的規則會等到檔案修正後才執行。",
    "Bellhop keeps running the rules it had until the file is fixed.": "在檔案修正之前，Bellhop 會繼續執行原本的規則。",
    "Bellhop started without the rules in it; they start as soon as the file is fixed.":
        "Bellhop 已啟動，但沒有載入其中的規則；檔案一修正，這些規則就會開始執行。",
    "{name} had a mistake and was saved over from the window; what it held is kept as {copy}.":
        "{name} 有錯誤，已從視窗儲存覆蓋；原本的內容保留為 {copy}。",
    "{name} can be read again.": "{name} 已可以讀取。",
    "rules.json changed: {count} rules in use.": "rules.json 已變更：使用中的規則共 {count} 條。",
    "{count} of them cannot run:": "其中 {count} 條無法執行：",
    "“{rule}”: {problem}": "「{rule}」：{problem}",
    # the backlog (engine.py, waiting.py)
    "The event of this run is no longer stored.": "這次執行的事件已不在紀錄中。",
    "Waiting to run:": "等待執行：",
    "“{rule}”: {waiting} waiting, {going} going": "「{rule}」：{waiting} 筆等待中，{going} 筆執行中",
}
