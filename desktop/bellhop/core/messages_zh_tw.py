"""Traditional Chinese (Taiwan) for every core message; tests check none is missing."""

ZH_TW: dict[str, str] = {
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
    "Bellhop could not save to its event database: {reason}. Check that the disk has free space.":
        "Bellhop 無法寫入事件資料庫：{reason}。請確認磁碟還有空間。",
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
    "The Bellhop window is not ready yet; running in the terminal instead.":
        "Bellhop 視窗尚未完成，改在終端機中執行。",
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
    "The ngrok tunnel is not available yet; serving locally only.":
        "ngrok 通道尚未提供，目前只在本機接收。",
    "The rule for this event no longer exists.": "這個事件的規則已不存在。",
    "The secret '{name}' is not in the keychain. Enter it again in Bellhop (or run: bellhop "
    "secret set {name}).":
        "鑰匙圈中沒有「{name}」。請在 Bellhop 重新輸入（或執行：bellhop secret set {name}）。",
    "The template could not be filled in: {reason}": "無法填入範本：{reason}",
    "The template produced too much text (over 1 MB).": "範本產生的文字太多（超過 1 MB）。",
    "The template tries to reach something it may not ({detail}).":
        "範本嘗試存取不允許的東西（{detail}）。",
    "There is no account called '{name}'. Add it under Accounts, or pick another one in this "
    "step.": "沒有名為「{name}」的帳號。請在「帳號」中新增，或在這個步驟選擇其他帳號。",
    "There was no secret called '{name}'.": "鑰匙圈中沒有「{name}」。",
    "This address does not take that method.": "這個網址不接受這種請求方法。",
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
}
