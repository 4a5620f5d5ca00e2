<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AccountEditor</name>
    <message>
        <source>Choose an account…</source>
        <translation>選擇帳號…</translation>
    </message>
    <message>
        <source>{name} (not found under Accounts)</source>
        <translation>{name}（在「帳號」中找不到）</translation>
    </message>
    <message>
        <source>Add or change accounts under &lt;a href=&apos;accounts&apos;&gt;Accounts&lt;/a&gt;.</source>
        <translation>可到&lt;a href=&apos;accounts&apos;&gt;帳號&lt;/a&gt;頁面新增或修改帳號。</translation>
    </message>
    <message>
        <source>You have no email account yet: add one under &lt;a href=&apos;accounts&apos;&gt;Accounts&lt;/a&gt;.</source>
        <translation>您還沒有電子郵件帳號：請到&lt;a href=&apos;accounts&apos;&gt;帳號&lt;/a&gt;頁面新增一個。</translation>
    </message>
    <message>
        <source>You have no account of this kind yet: add one under &lt;a href=&apos;accounts&apos;&gt;Accounts&lt;/a&gt;.</source>
        <translation>您還沒有這類帳號：請到&lt;a href=&apos;accounts&apos;&gt;帳號&lt;/a&gt;頁面新增一個。</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>Bellhop could not do that ({reason}). Try again; if it keeps happening, restart Bellhop.</source>
        <translation>Bellhop 無法完成這個操作（{reason}）。請再試一次；如果一直發生，請重新啟動 Bellhop。</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Bellhop sends email and reaches other services through the accounts you add here. Passwords are kept in your system keychain, never in a file.</source>
        <translation>Bellhop 會透過您在這裡新增的帳號寄送電子郵件、連線到其他服務。密碼保存在系統鑰匙圈中，絕不會寫進檔案。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>類型</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細資料</translation>
    </message>
    <message>
        <source>No accounts yet. Add the email account your rules should send from: fill in the form on the right and press “Save account”.</source>
        <translation>還沒有任何帳號。請新增規則寄信時要用的電子郵件帳號：填寫右邊的表單，再按「儲存帳號」。</translation>
    </message>
    <message>
        <source>Add mail account</source>
        <translation>新增郵件帳號</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>刪除…</translation>
    </message>
    <message>
        <source>Your accounts</source>
        <translation>您的帳號</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>電子郵件</translation>
    </message>
    <message>
        <source>{address} via {provider}</source>
        <translation>{address}（透過 {provider}）</translation>
    </message>
    <message>
        <source>Google</source>
        <translation>Google</translation>
    </message>
    <message>
        <source>signed in</source>
        <translation>已登入</translation>
    </message>
    <message>
        <source>“{name}” is a Google account: the Google card on the left shows it, tests it and replaces its key. You can delete it here.</source>
        <translation>「{name}」是 Google 帳號：左邊的 Google 卡片會顯示它、測試它，也可以更換它的金鑰。您可以在這裡刪除它。</translation>
    </message>
    <message>
        <source>“{name}” is not a mail account, so it cannot be changed on this page yet. You can delete it here.</source>
        <translation>「{name}」不是郵件帳號，目前還不能在這個頁面修改，但可以在這裡刪除。</translation>
    </message>
    <message>
        <source>Delete the account “{name}”? Its password is removed from the keychain too.</source>
        <translation>要刪除帳號「{name}」嗎？它的密碼也會從鑰匙圈中移除。</translation>
    </message>
    <message>
        <source>These rules use it and will fail until you pick another account: {rules}</source>
        <translation>以下規則正在使用這個帳號，改選其他帳號之前都會執行失敗：{rules}</translation>
    </message>
    <message>
        <source>Delete account</source>
        <translation>刪除帳號</translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <source>(deleted rule)</source>
        <translation>（已刪除的規則）</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到時間</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>規則</translation>
    </message>
    <message>
        <source>What came in</source>
        <translation>收到的內容</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空白）</translation>
    </message>
    <message>
        <source>{size} of data</source>
        <translation>{size} 的資料</translation>
    </message>
    <message>
        <source>Today {time}</source>
        <translation>今天 {time}</translation>
    </message>
    <message>
        <source>Yesterday {time}</source>
        <translation>昨天 {time}</translation>
    </message>
</context>
<context>
    <name>ActivityPage</name>
    <message>
        <source>Activity</source>
        <translation>活動</translation>
    </message>
    <message>
        <source>Search what came in: an order number, a name…</source>
        <translation>搜尋收到的內容：訂單編號、姓名…</translation>
    </message>
    <message>
        <source>All rules</source>
        <translation>所有規則</translation>
    </message>
    <message>
        <source>Bellhop could not read its event list: {reason}</source>
        <translation>Bellhop 無法讀取事件清單：{reason}</translation>
    </message>
    <message>
        <source>Looking through the events ({share}%)… {count} found so far</source>
        <translation>正在搜尋事件（{share}%）…目前找到 {count} 筆</translation>
    </message>
    <message>
        <source>1 event</source>
        <translation>1 筆事件</translation>
    </message>
    <message>
        <source>{count} events</source>
        <translation>{count} 筆事件</translation>
    </message>
    <message>
        <source>1 event matches</source>
        <translation>1 筆事件符合</translation>
    </message>
    <message>
        <source>{count} events match</source>
        <translation>{count} 筆事件符合</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在開啟…</translation>
    </message>
    <message>
        <source>Nothing has arrived yet. When a service sends a webhook to one of your rules, it shows up here at once.</source>
        <translation>目前還沒有收到任何東西。服務傳送 Webhook 給您的規則時，會立刻顯示在這裡。</translation>
    </message>
    <message>
        <source>Looking…</source>
        <translation>正在搜尋…</translation>
    </message>
    <message>
        <source>No events match. Try other words, or choose “All rules” and “All results”.</source>
        <translation>沒有符合的事件。請換個關鍵字，或選擇「所有規則」和「所有結果」。</translation>
    </message>
    <message>
        <source>Trying the failed step again…</source>
        <translation>正在重試失敗的步驟…</translation>
    </message>
    <message>
        <source>This run is no longer failed, so there is nothing to try again.</source>
        <translation>這次執行已經不是失敗狀態，不需要重試。</translation>
    </message>
    <message>
        <source>Running it again with the current rule…</source>
        <translation>正在用目前的規則重新執行…</translation>
    </message>
    <message>
        <source>This event is no longer stored.</source>
        <translation>這個事件已不在紀錄中。</translation>
    </message>
    <message>
        <source>Bellhop could not do that: {reason}</source>
        <translation>Bellhop 無法完成這個操作：{reason}</translation>
    </message>
    <message>
        <source>This event&apos;s rule was deleted, so there is no address to send it to.</source>
        <translation>這個事件的規則已被刪除，因此沒有可以傳送的網址。</translation>
    </message>
    <message>
        <source>Copied. Paste it into a terminal to send this delivery to Bellhop again.</source>
        <translation>已複製。貼到終端機執行，就能把這次傳送再送給 Bellhop 一次。</translation>
    </message>
</context>
<context>
    <name>ActivityStatus</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>略過</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>執行中</translation>
    </message>
    <message>
        <source>Will try again</source>
        <translation>稍後重試</translation>
    </message>
    <message>
        <source>Not run yet</source>
        <translation>尚未執行</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未執行到</translation>
    </message>
    <message>
        <source>Every step went through.</source>
        <translation>每個步驟都順利完成。</translation>
    </message>
    <message>
        <source>A step could not be done. Select the event to see why.</source>
        <translation>有一個步驟無法完成。選取這個事件即可查看原因。</translation>
    </message>
    <message>
        <source>A filter step decided this delivery needs nothing done.</source>
        <translation>篩選步驟判定這次傳送不需要處理。</translation>
    </message>
    <message>
        <source>Bellhop is working on it now.</source>
        <translation>Bellhop 正在處理中。</translation>
    </message>
    <message>
        <source>A step hit a passing problem; Bellhop tries again by itself soon.</source>
        <translation>有一個步驟遇到暫時性的問題，Bellhop 稍後會自動重試。</translation>
    </message>
    <message>
        <source>Received while Bellhop was paused; it runs when you resume.</source>
        <translation>這是 Bellhop 暫停期間收到的，按「繼續」後就會執行。</translation>
    </message>
    <message>
        <source>This step was not reached.</source>
        <translation>沒有執行到這個步驟。</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>所有結果</translation>
    </message>
</context>
<context>
    <name>BaseCardWidget</name>
    <message>
        <source>Details</source>
        <translation>詳細資料</translation>
    </message>
</context>
<context>
    <name>CardPaletteView</name>
    <message>
        <source>Drag into the rule, or select and press Enter to add it after the selected card.</source>
        <translation>拖曳到規則中，或選取後按 Enter，加在目前選取的動作後面。</translation>
    </message>
    <message>
        <source>Cards you can add</source>
        <translation>可加入的動作</translation>
    </message>
    <message>
        <source>Drop here to remove the card</source>
        <translation>拖放到這裡即可移除動作</translation>
    </message>
</context>
<context>
    <name>CardWidget</name>
    <message>
        <source>Drag to move this card; drag it onto the card list above to remove it</source>
        <translation>拖曳可移動這個動作；拖到上方的動作清單即可移除</translation>
    </message>
    <message>
        <source>Unknown card &apos;{type}&apos;</source>
        <translation>未知的動作「{type}」</translation>
    </message>
    <message>
        <source>This Bellhop does not know this kind of card.</source>
        <translation>這個版本的 Bellhop 不認得這種動作。</translation>
    </message>
    <message>
        <source>Worked: the event does not match, so the rule stops here.</source>
        <translation>成功：事件不符合條件，規則到此停止。</translation>
    </message>
    <message>
        <source>Worked</source>
        <translation>成功</translation>
    </message>
    <message>
        <source> · {ms} ms</source>
        <translation> · {ms} 毫秒</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Did not run: an earlier card stopped the rule.</source>
        <translation>未執行：前面的動作已讓規則停止。</translation>
    </message>
</context>
<context>
    <name>ChainCanvas</name>
    <message>
        <source>Cards of this rule</source>
        <translation>這條規則的動作</translation>
    </message>
</context>
<context>
    <name>Editors</name>
    <message>
        <source>e.g. ~/Documents/orders.xlsx</source>
        <translation>例如 ~/Documents/orders.xlsx</translation>
    </message>
</context>
<context>
    <name>EmailCheckPanel</name>
    <message>
        <source>Send test email</source>
        <translation>寄送測試信</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>寄到</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>試試看</translation>
    </message>
    <message>
        <source>Send yourself a short message to check that the account works.</source>
        <translation>寄一封簡短的信給自己，確認這個帳號可以正常使用。</translation>
    </message>
    <message>
        <source>your.address@example.com</source>
        <translation>your.address@example.com</translation>
    </message>
    <message>
        <source>Type the address to send the test email to.</source>
        <translation>請輸入要收測試信的電子郵件地址。</translation>
    </message>
    <message>
        <source>Test email from Bellhop</source>
        <translation>Bellhop 測試信</translation>
    </message>
    <message>
        <source>This is a test message from Bellhop. If you can read it, your mail account works and your rules can send email.</source>
        <translation>這是 Bellhop 寄出的測試信。如果您看得到這封信，代表郵件帳號可以正常使用，規則也能寄送電子郵件。</translation>
    </message>
    <message>
        <source>Sending a test email to {to}…</source>
        <translation>正在寄送測試信到 {to}…</translation>
    </message>
    <message>
        <source>Sent to {to}. It should arrive within a minute; if not, look in the spam folder.</source>
        <translation>已寄到 {to}。一分鐘內應該會收到；如果沒有，請看看垃圾郵件匣。</translation>
    </message>
    <message>
        <source>The test email was not sent. {error}</source>
        <translation>測試信沒有寄出。{error}</translation>
    </message>
</context>
<context>
    <name>EmptyRulesView</name>
    <message>
        <source>No rules yet</source>
        <translation>還沒有規則</translation>
    </message>
    <message>
        <source>A rule says what Bellhop does when a service such as Shopify sends it news: make your first one to get its web address.</source>
        <translation>規則決定 Shopify 等服務傳來通知時，Bellhop 要做哪些事。建立第一條規則，就能取得它的網址。</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>新增規則</translation>
    </message>
</context>
<context>
    <name>EventDetailPanel</name>
    <message>
        <source>Try again</source>
        <translation>重試</translation>
    </message>
    <message>
        <source>Tries the failed step again and goes on from there; steps that worked are not repeated.</source>
        <translation>從失敗的步驟重新嘗試並繼續往下執行；已成功的步驟不會重複。</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>重新執行</translation>
    </message>
    <message>
        <source>Runs this delivery through the rule as it is now, every step, as a new run.</source>
        <translation>用目前的規則把這次傳送從頭到尾再執行一次，算是一次新的執行。</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>複製為 curl 指令</translation>
    </message>
    <message>
        <source>Copies a command that sends this delivery again, for someone helping you.</source>
        <translation>複製一段可以重新傳送這次內容的指令，方便交給協助您的人。</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>發生了什麼事</translation>
    </message>
    <message>
        <source>What arrived</source>
        <translation>收到的內容</translation>
    </message>
    <message>
        <source>Pick an event in the list to see what happened to it.</source>
        <translation>在清單中選一個事件，查看它的處理經過。</translation>
    </message>
    <message>
        <source>Received {time} · {method} · {size} · {event_id}</source>
        <translation>{time} 收到 · {method} · {size} · {event_id}</translation>
    </message>
    <message>
        <source>No reason was recorded.</source>
        <translation>沒有記錄原因。</translation>
    </message>
    <message>
        <source>“{step}” could not be done: {error}</source>
        <translation>「{step}」無法完成：{error}</translation>
    </message>
    <message>
        <source>“{step}” hit a problem and will be tried again: {error}</source>
        <translation>「{step}」遇到問題，稍後會重試：{error}</translation>
    </message>
</context>
<context>
    <name>FieldPicker</name>
    <message>
        <source>1 field</source>
        <translation>1 個欄位</translation>
    </message>
    <message>
        <source>{n} fields</source>
        <translation>{n} 個欄位</translation>
    </message>
    <message>
        <source>1 item</source>
        <translation>1 個項目</translation>
    </message>
    <message>
        <source>{n} items</source>
        <translation>{n} 個項目</translation>
    </message>
</context>
<context>
    <name>FieldPickerPopup</name>
    <message>
        <source>Search fields or values</source>
        <translation>搜尋欄位或內容</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>欄位</translation>
    </message>
    <message>
        <source>Sample value</source>
        <translation>範例內容</translation>
    </message>
    <message>
        <source>Double-click a field (or press Enter) to insert it.</source>
        <translation>按兩下欄位（或按 Enter）即可插入。</translation>
    </message>
    <message>
        <source>No sample event yet</source>
        <translation>還沒有範例事件</translation>
    </message>
</context>
<context>
    <name>FileEditor</name>
    <message>
        <source>Choose a file</source>
        <translation>選擇檔案</translation>
    </message>
    <message>
        <source>Spreadsheet file</source>
        <translation>試算表檔案</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>試算表（*.xlsx *.csv）</translation>
    </message>
</context>
<context>
    <name>FileProblemBanner</name>
    <message>
        <source>What is wrong in the file</source>
        <translation>檔案哪裡有錯</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>開啟資料夾</translation>
    </message>
    <message>
        <source>Open the folder that holds the file, to fix it</source>
        <translation>開啟存放這個檔案的資料夾，以便修正</translation>
    </message>
    <message>
        <source>{files}: a mistake to fix</source>
        <translation>{files}：有需要修正的錯誤</translation>
    </message>
</context>
<context>
    <name>FilterHelpBox</name>
    <message>
        <source>Formatting help: dates, money, text, lists</source>
        <translation>格式說明：日期、金額、文字、清單</translation>
    </message>
    <message>
        <source>Put a filter after a field with | to change how it looks. Examples for a Shopify order:</source>
        <translation>在欄位後面用 | 加上篩選器，就能改變顯示方式。以下是 Shopify 訂單的範例：</translation>
    </message>
</context>
<context>
    <name>GoogleAccountCard</name>
    <message>
        <source>Use a service-account key file…</source>
        <translation>使用服務帳戶金鑰檔案…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Share your sheet with this address: in Google Sheets press Share, paste it, and choose Editor.</source>
        <translation>請把試算表共用給這個地址：在 Google 試算表按「共用」，貼上地址，並選擇「編輯者」。</translation>
    </message>
    <message>
        <source>OAuth client ID</source>
        <translation>OAuth 用戶端 ID</translation>
    </message>
    <message>
        <source>OAuth client secret</source>
        <translation>OAuth 用戶端密鑰</translation>
    </message>
    <message>
        <source>Sign in with Google</source>
        <translation>使用 Google 登入</translation>
    </message>
    <message>
        <source>Cancel sign-in</source>
        <translation>取消登入</translation>
    </message>
    <message>
        <source>Show Google&apos;s addresses (for a proxy)</source>
        <translation>顯示 Google 的連線網址（供代理伺服器使用）</translation>
    </message>
    <message>
        <source>Paste a sheet&apos;s address, e.g. https://docs.google.com/spreadsheets/d/…</source>
        <translation>貼上試算表的網址，例如 https://docs.google.com/spreadsheets/d/…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>測試連線</translation>
    </message>
    <message>
        <source>Lets your rules add rows to Google Sheets. Use a service account&apos;s key file (best for a shop computer), or sign in with your own Google account.</source>
        <translation>讓規則可以在 Google 試算表中新增資料列。請使用服務帳戶的金鑰檔案（最適合店裡的電腦），或用您自己的 Google 帳號登入。</translation>
    </message>
    <message>
        <source>Name in Bellhop</source>
        <translation>在 Bellhop 中的名稱</translation>
    </message>
    <message>
        <source>Share with</source>
        <translation>共用對象</translation>
    </message>
    <message>
        <source>Sheets API address</source>
        <translation>Sheets API 網址</translation>
    </message>
    <message>
        <source>Token address</source>
        <translation>權杖網址</translation>
    </message>
    <message>
        <source>Sign-in page address</source>
        <translation>登入頁面網址</translation>
    </message>
    <message>
        <source>Google account</source>
        <translation>Google 帳號</translation>
    </message>
    <message>
        <source>Or sign in with your Google account (needs an OAuth client; the README says how to make one):</source>
        <translation>或用您的 Google 帳號登入（需要 OAuth 用戶端；README 說明如何建立）：</translation>
    </message>
    <message>
        <source>Check that Bellhop can reach a sheet:</source>
        <translation>確認 Bellhop 能連到試算表：</translation>
    </message>
    <message>
        <source>Signed in with Google.</source>
        <translation>已使用 Google 登入。</translation>
    </message>
    <message>
        <source>Copied. Paste it into the Share box of your sheet.</source>
        <translation>已複製。請貼到試算表的「共用」視窗中。</translation>
    </message>
    <message>
        <source>Give the account a name; your rules use it to pick this account.</source>
        <translation>請為帳號取個名稱；規則會用這個名稱選擇帳號。</translation>
    </message>
    <message>
        <source>Choose the service account&apos;s key file</source>
        <translation>選擇服務帳戶的金鑰檔案</translation>
    </message>
    <message>
        <source>Key files</source>
        <translation>金鑰檔案</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有檔案</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在儲存…</translation>
    </message>
    <message>
        <source>Type the OAuth client ID and secret first (the README says how to make them).</source>
        <translation>請先輸入 OAuth 用戶端 ID 和密鑰（README 說明如何建立）。</translation>
    </message>
    <message>
        <source>Finish signing in in your browser…</source>
        <translation>請在瀏覽器中完成登入…</translation>
    </message>
    <message>
        <source>Signing in was cancelled. Nothing was saved.</source>
        <translation>已取消登入，沒有儲存任何資料。</translation>
    </message>
    <message>
        <source>Saved. Now share your sheet with the address above.</source>
        <translation>已儲存。現在請把試算表共用給上面的地址。</translation>
    </message>
    <message>
        <source>Paste the address of a sheet to test with.</source>
        <translation>請貼上要用來測試的試算表網址。</translation>
    </message>
    <message>
        <source>Asking Google…</source>
        <translation>正在詢問 Google…</translation>
    </message>
    <message>
        <source>Connected to “{title}”. Its tabs and their columns:</source>
        <translation>已連線到「{title}」。它的工作表和欄位：</translation>
    </message>
    <message>
        <source>(no header row yet)</source>
        <translation>（還沒有標題列）</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>When a webhook arrives</source>
        <translation>收到 Webhook 時</translation>
    </message>
    <message>
        <source>A service (Shopify, a form, LINE…) sends its news to this address; the cards below then run in order.</source>
        <translation>服務（Shopify、表單、LINE…）會把通知傳到這個網址，接著依序執行下方的動作。</translation>
    </message>
    <message>
        <source>Unknown card</source>
        <translation>未知的動作</translation>
    </message>
    <message>
        <source>This Bellhop does not know cards of type &apos;{type}&apos;. Remove the card, or update Bellhop.</source>
        <translation>這個版本的 Bellhop 不認得「{type}」類型的動作。請移除這個動作，或更新 Bellhop。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>is</source>
        <translation>等於</translation>
    </message>
    <message>
        <source>is not</source>
        <translation>不等於</translation>
    </message>
    <message>
        <source>is more than</source>
        <translation>大於</translation>
    </message>
    <message>
        <source>is at least</source>
        <translation>大於或等於</translation>
    </message>
    <message>
        <source>is less than</source>
        <translation>小於</translation>
    </message>
    <message>
        <source>is at most</source>
        <translation>小於或等於</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>starts with</source>
        <translation>開頭是</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>是空的</translation>
    </message>
    <message>
        <source>is not empty</source>
        <translation>不是空的</translation>
    </message>
    <message>
        <source>all conditions hold</source>
        <translation>所有條件都符合</translation>
    </message>
    <message>
        <source>any one condition holds</source>
        <translation>任一條件符合</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>純文字</translation>
    </message>
    <message>
        <source>Web form fields</source>
        <translation>網頁表單欄位</translation>
    </message>
    <message>
        <source>As if typed (dates and numbers become values)</source>
        <translation>如同親手輸入（日期和數字會變成數值）</translation>
    </message>
    <message>
        <source>Slack</source>
        <translation>Slack</translation>
    </message>
    <message>
        <source>Discord</source>
        <translation>Discord</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Microsoft Teams</source>
        <translation>Microsoft Teams</translation>
    </message>
    <message>
        <source>LINE (push message)</source>
        <translation>LINE（推播訊息）</translation>
    </message>
    <message>
        <source>JSON webhook</source>
        <translation>JSON Webhook</translation>
    </message>
    <message>
        <source>Other (apprise address)</source>
        <translation>其他（apprise 網址）</translation>
    </message>
    <message>
        <source>Not set up yet</source>
        <translation>尚未設定</translation>
    </message>
    <message>
        <source>No conditions yet</source>
        <translation>還沒有條件</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 且 </translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>Only if</source>
        <translation>僅當</translation>
    </message>
</context>
<context>
    <name>LineEditor</name>
    <message>
        <source>e.g. body.total_price</source>
        <translation>例如 body.total_price</translation>
    </message>
</context>
<context>
    <name>Listening</name>
    <message>
        <source>The sample could not be kept on disk: {reason}</source>
        <translation>無法把範例存到磁碟：{reason}</translation>
    </message>
    <message>
        <source>Waiting for the next delivery to this address… Send a test from the service now (in Shopify: Settings › Notifications › Webhooks › Send test).</source>
        <translation>正在等候這個網址的下一次傳送…現在請從服務端送出測試（Shopify 的位置：設定 › 通知 › Webhook › 傳送測試）。</translation>
    </message>
    <message>
        <source>Got it: the delivery that just arrived is now this rule&apos;s sample.</source>
        <translation>收到了：剛才的傳送已成為這條規則的範例。</translation>
    </message>
</context>
<context>
    <name>MailAccountForm</name>
    <message>
        <source>Other mail server</source>
        <translation>其他郵件伺服器</translation>
    </message>
    <message>
        <source>e.g. shop@gmail.com</source>
        <translation>例如 shop@gmail.com</translation>
    </message>
    <message>
        <source>e.g. Shop email</source>
        <translation>例如 店裡的信箱</translation>
    </message>
    <message>
        <source>You pick this name in the &apos;Send email&apos; step of a rule.</source>
        <translation>在規則的「寄送電子郵件」動作中，會用這個名稱選擇帳號。</translation>
    </message>
    <message>
        <source>e.g. mail.example.com</source>
        <translation>例如 mail.example.com</translation>
    </message>
    <message>
        <source>STARTTLS (most servers, port 587)</source>
        <translation>STARTTLS（大多數伺服器，連接埠 587）</translation>
    </message>
    <message>
        <source>SSL/TLS (port 465)</source>
        <translation>SSL/TLS（連接埠 465）</translation>
    </message>
    <message>
        <source>None (only inside your own network)</source>
        <translation>無（僅限您自己的內部網路）</translation>
    </message>
    <message>
        <source>Leave empty if the server needs no login</source>
        <translation>如果伺服器不需要登入，請留空</translation>
    </message>
    <message>
        <source>Save account</source>
        <translation>儲存帳號</translation>
    </message>
    <message>
        <source>Email provider</source>
        <translation>電子郵件服務</translation>
    </message>
    <message>
        <source>Your email address</source>
        <translation>您的電子郵件地址</translation>
    </message>
    <message>
        <source>Name in Bellhop</source>
        <translation>在 Bellhop 中的名稱</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>郵件伺服器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>連接埠</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>加密方式</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>使用者名稱</translation>
    </message>
    <message>
        <source>Add a mail account</source>
        <translation>新增郵件帳號</translation>
    </message>
    <message>
        <source>Mail account “{name}”</source>
        <translation>郵件帳號「{name}」</translation>
    </message>
    <message>
        <source>Server: {host}, port {port}, {security}</source>
        <translation>伺服器：{host}，連接埠 {port}，{security}</translation>
    </message>
    <message>
        <source>App password</source>
        <translation>應用程式密碼</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
    <message>
        <source>Gmail needs an app password, not your normal password: turn on 2-Step Verification, then create one at &lt;a href=&quot;{url}&quot;&gt;{label}&lt;/a&gt;.</source>
        <translation>Gmail 需要使用應用程式密碼，而不是平常的登入密碼：請先開啟兩步驟驗證，再到 &lt;a href=&quot;{url}&quot;&gt;{label}&lt;/a&gt; 建立。</translation>
    </message>
    <message>
        <source>Yahoo Mail needs an app password: create one under “Generate app password” in your &lt;a href=&quot;{url}&quot;&gt;Yahoo account security&lt;/a&gt; page.</source>
        <translation>Yahoo Mail 需要使用應用程式密碼：請到 &lt;a href=&quot;{url}&quot;&gt;Yahoo 帳號安全性&lt;/a&gt;頁面，在「產生應用程式密碼」建立。</translation>
    </message>
    <message>
        <source>Use your Outlook or Microsoft 365 address and password. If your company blocks this, ask its IT person to allow “SMTP AUTH” for your mailbox.</source>
        <translation>請輸入您的 Outlook 或 Microsoft 365 電子郵件地址和密碼。如果公司封鎖了這種登入方式，請公司的資訊人員為您的信箱開啟「SMTP AUTH」。</translation>
    </message>
    <message>
        <source>Type the server settings your email provider or IT person gave you.</source>
        <translation>請輸入電子郵件服務商或資訊人員提供的伺服器設定。</translation>
    </message>
    <message>
        <source>Saved in your system keychain</source>
        <translation>已存入系統鑰匙圈</translation>
    </message>
    <message>
        <source>Leave it empty to keep the saved password, or type a new one to replace it.</source>
        <translation>留空會保留已儲存的密碼；輸入新密碼則會取代舊的。</translation>
    </message>
    <message>
        <source>Kept in your system keychain, never in a file</source>
        <translation>保存在系統鑰匙圈中，絕不會寫進檔案</translation>
    </message>
    <message>
        <source>Type your email address.</source>
        <translation>請輸入您的電子郵件地址。</translation>
    </message>
    <message>
        <source>“{text}” does not look like an email address. Check it.</source>
        <translation>「{text}」看起來不像電子郵件地址，請檢查一下。</translation>
    </message>
    <message>
        <source>Give the account a name; your rules use it to pick this account.</source>
        <translation>請幫這個帳號取個名稱；規則會用這個名稱來選擇帳號。</translation>
    </message>
    <message>
        <source>There is already an account called “{name}”. Choose another name, or select that account in the list to change it.</source>
        <translation>已經有名為「{name}」的帳號。請換個名稱，或在清單中選取那個帳號來修改。</translation>
    </message>
    <message>
        <source>Type the mail server&apos;s name, e.g. mail.example.com.</source>
        <translation>請輸入郵件伺服器名稱，例如 mail.example.com。</translation>
    </message>
    <message>
        <source>Type the password (Gmail and Yahoo: an app password).</source>
        <translation>請輸入密碼（Gmail 和 Yahoo 請用應用程式密碼）。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在儲存…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已儲存。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Rules</source>
        <translation>規則</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活動</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在啟動…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明（&amp;H）</translation>
    </message>
    <message>
        <source>Welcome…</source>
        <translation>歡迎使用…</translation>
    </message>
    <message>
        <source>Bellhop is listening at {base}</source>
        <translation>Bellhop 正在 {base} 等候 Webhook</translation>
    </message>
    <message>
        <source>Make a rule first (New rule…), then listen for a test event on it.</source>
        <translation>請先建立一條規則（新增規則…），再為它等候測試事件。</translation>
    </message>
</context>
<context>
    <name>NewRuleDialog</name>
    <message>
        <source>New rule</source>
        <translation>新增規則</translation>
    </message>
    <message>
        <source>What should happen? Pick a starting point; you can change every card afterwards.</source>
        <translation>要做什麼事？先選一個起點，之後每個動作都可以再修改。</translation>
    </message>
    <message>
        <source>Rule name</source>
        <translation>規則名稱</translation>
    </message>
    <message>
        <source>Create rule</source>
        <translation>建立規則</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Shopify orders to the warehouse</source>
        <translation>Shopify 訂單通知倉庫</translation>
    </message>
    <message>
        <source>Website messages by email</source>
        <translation>網站留言轉寄到信箱</translation>
    </message>
    <message>
        <source>Shopify orders to the warehouse and the sheet</source>
        <translation>Shopify 訂單：通知倉庫並記到試算表</translation>
    </message>
    <message>
        <source>SurveyCake answers</source>
        <translation>SurveyCake 問卷回覆</translation>
    </message>
    <message>
        <source>LINE auto reply: opening hours</source>
        <translation>LINE 自動回覆：營業時間</translation>
    </message>
    <message>
        <source>GitHub pushes to Discord</source>
        <translation>GitHub 推送通知到 Discord</translation>
    </message>
    <message>
        <source>Stripe payments</source>
        <translation>Stripe 付款</translation>
    </message>
    <message>
        <source>My rule</source>
        <translation>我的規則</translation>
    </message>
</context>
<context>
    <name>PairsEditor</name>
    <message>
        <source>Remove this row</source>
        <translation>移除這一列</translation>
    </message>
    <message>
        <source>Column header</source>
        <translation>欄位標題</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>內容</translation>
    </message>
    <message>
        <source>Add a column</source>
        <translation>新增欄位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Add a row</source>
        <translation>新增一列</translation>
    </message>
</context>
<context>
    <name>PickerButton</name>
    <message>
        <source>Insert a field of the sample event</source>
        <translation>插入範例事件中的欄位</translation>
    </message>
    <message>
        <source>Insert field</source>
        <translation>插入欄位</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Row {n}: {problem}</source>
        <translation>第 {n} 列：{problem}</translation>
    </message>
    <message>
        <source>Fill this in.</source>
        <translation>請填寫這一欄。</translation>
    </message>
    <message>
        <source>Choose one of the offered values.</source>
        <translation>請從提供的選項中選一個。</translation>
    </message>
    <message>
        <source>Use a number of at least {n}.</source>
        <translation>請輸入不小於 {n} 的數字。</translation>
    </message>
    <message>
        <source>Use a number of at most {n}.</source>
        <translation>請輸入不大於 {n} 的數字。</translation>
    </message>
    <message>
        <source>Use a number.</source>
        <translation>請輸入數字。</translation>
    </message>
    <message>
        <source>Use only letters, digits and dashes.</source>
        <translation>只能使用英文字母、數字和連字號（-）。</translation>
    </message>
    <message>
        <source>Bellhop does not know this setting; remove it from rules.json.</source>
        <translation>Bellhop 不認得這個設定，請從 rules.json 中移除。</translation>
    </message>
    <message>
        <source>That did not work: {reason}</source>
        <translation>沒有成功：{reason}</translation>
    </message>
</context>
<context>
    <name>RequestView</name>
    <message>
        <source>Show exactly as received</source>
        <translation>顯示收到的原始內容</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>標頭</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>內容</translation>
    </message>
    <message>
        <source>(The delivery had no body.)</source>
        <translation>（這次傳送沒有內容。）</translation>
    </message>
    <message>
        <source>Only the beginning is shown: the body is {size} bytes long.</source>
        <translation>只顯示開頭部分：內容共有 {size} 位元組。</translation>
    </message>
</context>
<context>
    <name>RowsEditor</name>
    <message>
        <source>Remove this row</source>
        <translation>移除這一列</translation>
    </message>
    <message>
        <source>Add a condition</source>
        <translation>新增條件</translation>
    </message>
    <message>
        <source>Add a row</source>
        <translation>新增一列</translation>
    </message>
</context>
<context>
    <name>RuleBuilderView</name>
    <message>
        <source>Rule name</source>
        <translation>規則名稱</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>復原</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Run test</source>
        <translation>執行測試</translation>
    </message>
    <message>
        <source>Send the sample event through the cards, for real: emails are sent and rows are added.</source>
        <translation>用範例事件實際跑一次所有動作：真的會寄出電子郵件、新增資料列。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>儲存</translation>
    </message>
    <message>
        <source>Add a card: drag it into the rule below</source>
        <translation>新增動作：拖曳到下方的規則中</translation>
    </message>
</context>
<context>
    <name>RuleChainView</name>
    <message>
        <source>Drag a card here from the list above, or select one there and press Enter.</source>
        <translation>從上方清單把動作拖曳到這裡，或在清單中選取後按 Enter。</translation>
    </message>
    <message>
        <source>Add card</source>
        <translation>新增動作</translation>
    </message>
    <message>
        <source>Move card</source>
        <translation>移動動作</translation>
    </message>
    <message>
        <source>Remove card</source>
        <translation>移除動作</translation>
    </message>
</context>
<context>
    <name>RuleKeeper</name>
    <message>
        <source>Rule made. Fill in what is marked on the cards, then save it.</source>
        <translation>規則已建立。請填寫動作上標示的欄位，然後儲存。</translation>
    </message>
    <message>
        <source>{name} (copy)</source>
        <translation>{name}（副本）</translation>
    </message>
    <message>
        <source>Copied. The copy has its own web address and stays off until you turn it on.</source>
        <translation>已複製。副本有自己的網址，在您開啟之前會保持關閉。</translation>
    </message>
    <message>
        <source>Deleted the rule “{name}”.</source>
        <translation>已刪除規則「{name}」。</translation>
    </message>
</context>
<context>
    <name>RuleListView</name>
    <message>
        <source>Rules</source>
        <translation>規則</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>新增規則</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>建立副本</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
</context>
<context>
    <name>RuleRowWidget</name>
    <message>
        <source>{name}: changes not saved yet</source>
        <translation>{name}：變更尚未儲存</translation>
    </message>
    <message>
        <source>Turn this rule off</source>
        <translation>關閉這條規則</translation>
    </message>
    <message>
        <source>Turn this rule on</source>
        <translation>開啟這條規則</translation>
    </message>
    <message>
        <source>Cannot run: {reasons}</source>
        <translation>無法執行：{reasons}</translation>
    </message>
    <message>
        <source>Turned off</source>
        <translation>已關閉</translation>
    </message>
    <message>
        <source>The last run failed: {error}</source>
        <translation>上次執行失敗：{error}</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>準備就緒</translation>
    </message>
    <message>
        <source>The last run worked</source>
        <translation>上次執行成功</translation>
    </message>
    <message>
        <source>⚠ New address</source>
        <translation>⚠ 網址已變更</translation>
    </message>
    <message>
        <source>The public address changed. Open the rule, copy its address and paste it into the service&apos;s webhook settings.</source>
        <translation>公開網址已變更。請開啟這條規則，複製它的網址，再貼到該服務的 webhook 設定中。</translation>
    </message>
    <message>
        <source>Events today: {n}</source>
        <translation>今天的事件：{n} 筆</translation>
    </message>
    <message>
        <source>{n} waiting</source>
        <translation>{n} 筆等待中</translation>
    </message>
    <message>
        <source>{n} deliveries are safe on disk and wait for their turn to run (one step of this rule is slow, or Bellhop was paused or restarted).</source>
        <translation>{n} 筆傳送已安全存在磁碟上，正在等候執行（這條規則有一個步驟比較慢，或 Bellhop 曾暫停或重新啟動）。</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>This rule cannot run yet: fix what is marked on the cards.</source>
        <translation>這條規則還不能執行：請修正動作上標示的問題。</translation>
    </message>
    <message>
        <source>Saved, but turned off: fix what is marked on the cards, then save again and turn the rule on.</source>
        <translation>已儲存，但規則已關閉：請修正動作上標示的問題，再儲存一次並開啟規則。</translation>
    </message>
    <message>
        <source>Saved. The rule is on.</source>
        <translation>已儲存。規則已開啟。</translation>
    </message>
    <message>
        <source>Saved. The rule is off: turn it on in the list.</source>
        <translation>已儲存。規則目前關閉：請在清單中開啟。</translation>
    </message>
    <message>
        <source>Choose a sample event first: listen for one, or use one of Bellhop&apos;s samples.</source>
        <translation>請先選擇範例事件：等候一次真實的傳送，或使用 Bellhop 提供的範例。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在測試…</translation>
    </message>
    <message>
        <source>The test could not run: {reason}</source>
        <translation>無法執行測試：{reason}</translation>
    </message>
    <message>
        <source>Test finished: every card worked.</source>
        <translation>測試完成：每個動作都成功了。</translation>
    </message>
    <message>
        <source>Test finished: the filter stopped this event, so the later cards did not run.</source>
        <translation>測試完成：篩選條件擋下了這個事件，所以後面的動作沒有執行。</translation>
    </message>
    <message>
        <source>The test stopped before the cards: {error}</source>
        <translation>測試在執行卡片之前就停止了：{error}</translation>
    </message>
    <message>
        <source>The test stopped at card {n}: {error}</source>
        <translation>測試停在第 {n} 個動作：{error}</translation>
    </message>
</context>
<context>
    <name>RunStepsWidget</name>
    <message>
        <source>When it arrived</source>
        <translation>收到時</translation>
    </message>
    <message>
        <source>Replayed</source>
        <translation>重新執行</translation>
    </message>
    <message>
        <source>Tried again</source>
        <translation>重試</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>測試</translation>
    </message>
    <message>
        <source>{n} ms</source>
        <translation>{n} 毫秒</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} 分 {s} 秒</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步驟</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>次數</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>耗時</translation>
    </message>
    <message>
        <source>Run {number} · {time}</source>
        <translation>第 {number} 次執行 · {time}</translation>
    </message>
    <message>
        <source>Run {number} · {reason} · {time}</source>
        <translation>第 {number} 次執行 · {reason} · {time}</translation>
    </message>
    <message>
        <source>{title}, {reason}</source>
        <translation>{title}，{reason}</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>哪裡出了問題</translation>
    </message>
    <message>
        <source>Started {start}, took {took}.</source>
        <translation>開始於 {start}，耗時 {took}。</translation>
    </message>
    <message>
        <source>Tried once</source>
        <translation>試了 1 次</translation>
    </message>
    <message>
        <source>Tried {count} times</source>
        <translation>試了 {count} 次</translation>
    </message>
    <message>
        <source>What came out</source>
        <translation>產出的內容</translation>
    </message>
    <message>
        <source>What went in</source>
        <translation>輸入的內容</translation>
    </message>
</context>
<context>
    <name>Samples</name>
    <message>
        <source>Shopify order</source>
        <translation>Shopify 訂單</translation>
    </message>
    <message>
        <source>LINE message</source>
        <translation>LINE 訊息</translation>
    </message>
    <message>
        <source>GitHub push</source>
        <translation>GitHub 推送</translation>
    </message>
    <message>
        <source>Stripe payment</source>
        <translation>Stripe 付款</translation>
    </message>
    <message>
        <source>SurveyCake form post</source>
        <translation>SurveyCake 表單回覆</translation>
    </message>
    <message>
        <source>Website form</source>
        <translation>網站表單</translation>
    </message>
</context>
<context>
    <name>SchemaForm</name>
    <message>
        <source>More settings</source>
        <translation>更多設定</translation>
    </message>
</context>
<context>
    <name>SecretEditor</name>
    <message>
        <source>Paste the address or token here</source>
        <translation>在這裡貼上網址或權杖</translation>
    </message>
    <message>
        <source>Save in keychain</source>
        <translation>存入鑰匙圈</translation>
    </message>
    <message>
        <source>Saved in your system keychain.</source>
        <translation>已存入系統鑰匙圈。</translation>
    </message>
    <message>
        <source>Nothing saved under this name yet: paste it above and press Save.</source>
        <translation>這個名稱下還沒有儲存任何內容：請貼在上方並按「存入鑰匙圈」。</translation>
    </message>
    <message>
        <source>Give it a name first.</source>
        <translation>請先取一個名稱。</translation>
    </message>
    <message>
        <source>Paste the address or token first.</source>
        <translation>請先貼上網址或權杖。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Changes are saved as soon as you make them.</source>
        <translation>變更會立即儲存。</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>開啟資料夾</translation>
    </message>
    <message>
        <source>Bellhop uses the new language the next time it starts.</source>
        <translation>Bellhop 下次啟動時會使用新的語言。</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <source>Applies the next time Bellhop starts.</source>
        <translation>Bellhop 下次啟動時生效。</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>與系統相同</translation>
    </message>
    <message>
        <source>Start Bellhop when I log in</source>
        <translation>登入電腦時自動啟動 Bellhop</translation>
    </message>
    <message>
        <source>So your rules keep working after the computer restarts. Bellhop starts in the tray, without opening its window.</source>
        <translation>這樣電腦重新開機後，規則也能繼續運作。Bellhop 會在系統匣中啟動，不會開啟視窗。</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Show a notification</source>
        <translation>顯示通知</translation>
    </message>
    <message>
        <source>Many events at once are gathered into one notification.</source>
        <translation>同時收到許多事件時，會合併成一則通知。</translation>
    </message>
    <message>
        <source>For every event</source>
        <translation>每個事件都通知</translation>
    </message>
    <message>
        <source>Only when something fails</source>
        <translation>只在失敗時通知</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>永不通知</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>連線</translation>
    </message>
    <message>
        <source>Receiver port</source>
        <translation>接收連接埠</translation>
    </message>
    <message>
        <source>Where deliveries arrive on this computer (usually 8765). Change it only if another program already uses it. Applies the next time Bellhop starts.</source>
        <translation>這台電腦接收傳送的連接埠（通常是 8765）。只有在其他程式已經佔用時才需要修改。Bellhop 下次啟動時生效。</translation>
    </message>
    <message>
        <source>The new port is used the next time Bellhop starts.</source>
        <translation>Bellhop 下次啟動時會使用新的連接埠。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>資料存放位置</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>資料夾</translation>
    </message>
    <message>
        <source>Your rules, the list of accounts and the history of events are kept here. Passwords are not: they are in your system keychain.</source>
        <translation>您的規則、帳號清單和事件紀錄都保存在這裡。密碼不在這裡，而是保存在系統鑰匙圈中。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在儲存…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已儲存。</translation>
    </message>
    <message>
        <source>The settings could not be saved ({reason}). Check that the data folder can be written to, then try again.</source>
        <translation>無法儲存設定（{reason}）。請確認資料夾可以寫入，然後再試一次。</translation>
    </message>
</context>
<context>
    <name>Starters</name>
    <message>
        <source>New order</source>
        <translation>新訂單</translation>
    </message>
    <message>
        <source>Order {{ body.name }} from {{ body.customer.last_name }}{{ body.customer.first_name }}, total {{ body.total_price }} {{ body.currency }}.</source>
        <translation>{{ body.customer.last_name }}{{ body.customer.first_name }} 的訂單 {{ body.name }}，總金額 {{ body.total_price }} {{ body.currency }}。</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>訂單編號</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顧客</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>總金額</translation>
    </message>
    <message>
        <source>Website message from</source>
        <translation>網站留言，來自</translation>
    </message>
    <message>
        <source>Name: {{ body.name }}
Email: {{ body.email }}
Phone: {{ body.phone }}

{{ body.message }}</source>
        <translation>姓名：{{ body.name }}
電子郵件：{{ body.email }}
電話：{{ body.phone }}

{{ body.message }}</translation>
    </message>
    <message>
        <source>Shopify order → email + spreadsheet file</source>
        <translation>Shopify 訂單 → 電子郵件＋試算表檔案</translation>
    </message>
    <message>
        <source>For orders over 1000: email the warehouse and add a row to orders.xlsx.</source>
        <translation>金額超過 1000 的訂單：寄電子郵件通知倉庫，並在 orders.xlsx 新增一列。</translation>
    </message>
    <message>
        <source>Website form → email</source>
        <translation>網站表單 → 電子郵件</translation>
    </message>
    <message>
        <source>Forward each message from your website&apos;s contact form by email.</source>
        <translation>把網站聯絡表單收到的每則留言，用電子郵件轉寄出去。</translation>
    </message>
    <message>
        <source>Shopify order → email the warehouse + Google Sheet</source>
        <translation>Shopify 訂單 → 通知倉庫＋Google 試算表</translation>
    </message>
    <message>
        <source>Emails each new order with its items and shipping address, and adds it as a row to your orders sheet.</source>
        <translation>每張新訂單都寄出含商品與收件地址的電子郵件，並在訂單試算表新增一列。</translation>
    </message>
    <message>
        <source>SurveyCake response → thank-you email + sheet</source>
        <translation>SurveyCake 問卷回覆 → 感謝信＋試算表</translation>
    </message>
    <message>
        <source>Fetches the answers of each response, thanks the person who answered by email and adds the answers to a sheet.</source>
        <translation>取得每份填答的內容，寄感謝信給填答者，並把答案加到試算表。</translation>
    </message>
    <message>
        <source>LINE keyword → auto reply</source>
        <translation>LINE 關鍵字 → 自動回覆</translation>
    </message>
    <message>
        <source>When someone writes 營業時間 to your LINE official account, reply with your opening hours.</source>
        <translation>有人在您的 LINE 官方帳號傳「營業時間」時，自動回覆營業時間。</translation>
    </message>
    <message>
        <source>GitHub push → Discord message</source>
        <translation>GitHub 推送 → Discord 訊息</translation>
    </message>
    <message>
        <source>Tells your Discord channel who pushed what to your repository.</source>
        <translation>在 Discord 頻道通知誰推送了什麼到您的程式庫。</translation>
    </message>
    <message>
        <source>Stripe payment succeeded → email + sheet</source>
        <translation>Stripe 付款成功 → 電子郵件＋試算表</translation>
    </message>
    <message>
        <source>Emails you each successful payment in NT$ and adds it to your payments sheet.</source>
        <translation>每筆成功的付款都以新台幣金額寄信通知您，並加到付款試算表。</translation>
    </message>
    <message>
        <source>Blank rule</source>
        <translation>空白規則</translation>
    </message>
    <message>
        <source>Start from an empty rule and add the cards yourself.</source>
        <translation>從空白規則開始，自己加入動作。</translation>
    </message>
    <message>
        <source>Order {{ body.name }}: {{ body.line_items | count }} items ({{ body.line_items | pluck(&apos;title&apos;) | join(&apos;, &apos;) }}), total {{ body.total_price | money(&apos;NT$&apos;, 0) }}.
Ship to {{ body.shipping_address.name }}, {{ body.shipping_address.zip }} {{ body.shipping_address.city }}{{ body.shipping_address.address1 }} {{ body.shipping_address.address2 | default(&apos;&apos;) }}, phone {{ body.shipping_address.phone }}.
Note: {{ body.note | default(&apos;—&apos;) }}</source>
        <translation>訂單 {{ body.name }}：共 {{ body.line_items | count }} 項商品（{{ body.line_items | pluck(&apos;title&apos;) | join(&apos;, &apos;) }}），總金額 {{ body.total_price | money(&apos;NT$&apos;, 0) }}。
收件人：{{ body.shipping_address.name }}，{{ body.shipping_address.zip }} {{ body.shipping_address.city }}{{ body.shipping_address.address1 }}{{ body.shipping_address.address2 | default(&apos;&apos;) }}，電話 {{ body.shipping_address.phone }}。
備註：{{ body.note | default(&apos;—&apos;) }}</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>件數</translation>
    </message>
    <message>
        <source>Thank you for your answers</source>
        <translation>感謝您的填答</translation>
    </message>
    <message>
        <source>{{ body.answers[&quot;姓名&quot;] }}, thank you for filling in &quot;{{ body.title }}&quot;. We read every answer.

Your suggestion: {{ body.answers[&quot;建議&quot;] | default(&quot;—&quot;) }}</source>
        <translation>{{ body.answers[&quot;姓名&quot;] }} 您好，感謝您填寫「{{ body.title }}」，每一份回覆我們都會仔細閱讀。

您的建議：{{ body.answers[&quot;建議&quot;] | default(&quot;—&quot;) }}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>填答時間</translation>
    </message>
    <message>
        <source>Hello! We are open Monday to Saturday, 10:00–19:00. See you soon!</source>
        <translation>您好！我們的營業時間是週一至週六 10:00–19:00，期待您的光臨！</translation>
    </message>
    <message>
        <source>{{ body.pusher.name }} pushed {{ body.commits | count }} commit(s) to {{ body.ref | replace(&apos;refs/heads/&apos;, &apos;&apos;) }}: {{ body.head_commit.message | truncate(200) }}</source>
        <translation>{{ body.pusher.name }} 推送了 {{ body.commits | count }} 個提交到 {{ body.ref | replace(&apos;refs/heads/&apos;, &apos;&apos;) }}：{{ body.head_commit.message | truncate(200) }}</translation>
    </message>
    <message>
        <source>Payment received:</source>
        <translation>收到付款：</translation>
    </message>
    <message>
        <source>{{ body.data.object.receipt_email | default(&apos;—&apos;) }} paid {{ body.data.object.amount | money(&apos;NT$&apos;, 0, cents=True) }} ({{ body.data.object.description | default(&apos;—&apos;) }}) on {{ body.created | date(&apos;%Y-%m-%d %H:%M&apos;) }}.</source>
        <translation>{{ body.data.object.receipt_email | default(&apos;—&apos;) }} 於 {{ body.created | date(&apos;%Y-%m-%d %H:%M&apos;) }} 付款 {{ body.data.object.amount | money(&apos;NT$&apos;, 0, cents=True) }}（{{ body.data.object.description | default(&apos;—&apos;) }}）。</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金額</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>電子郵件</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>說明</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>付款編號</translation>
    </message>
</context>
<context>
    <name>StepResultDialog</name>
    <message>
        <source>Test result: {card}</source>
        <translation>測試結果：{card}</translation>
    </message>
    <message>
        <source>This card worked.</source>
        <translation>這個動作成功了。</translation>
    </message>
    <message>
        <source>This card did not work.</source>
        <translation>這個動作失敗了。</translation>
    </message>
    <message>
        <source>This card did not run.</source>
        <translation>這個動作沒有執行。</translation>
    </message>
    <message>
        <source>What it gave</source>
        <translation>產出的內容</translation>
    </message>
    <message>
        <source>What it was given</source>
        <translation>輸入的內容</translation>
    </message>
</context>
<context>
    <name>SurveyCakeBox</name>
    <message>
        <source>SurveyCake</source>
        <translation>SurveyCake</translation>
    </message>
    <message>
        <source>This is a SurveyCake webhook</source>
        <translation>這是 SurveyCake 的 Webhook</translation>
    </message>
    <message>
        <source>Bellhop then fetches and decrypts each response&apos;s answers; cards use them as body.answers[&quot;question&quot;] or body.answers[&quot;1&quot;] (question number).</source>
        <translation>Bellhop 會取得並解密每份填答；卡片可用 body.answers[&quot;題目&quot;] 或 body.answers[&quot;1&quot;]（題號）使用答案。</translation>
    </message>
    <message>
        <source>Save keys</source>
        <translation>儲存金鑰</translation>
    </message>
    <message>
        <source>SurveyCake address</source>
        <translation>SurveyCake 位址</translation>
    </message>
    <message>
        <source>Hash Key</source>
        <translation>Hash Key</translation>
    </message>
    <message>
        <source>IV Key</source>
        <translation>IV Key</translation>
    </message>
    <message>
        <source>Both keys are under the survey&apos;s Settings › Webhook in SurveyCake; they go to your system keychain.</source>
        <translation>兩把金鑰都在 SurveyCake 問卷的 設定 › Webhook 中；它們會存入您的系統鑰匙圈。</translation>
    </message>
    <message>
        <source>Both keys are saved in your system keychain.</source>
        <translation>兩把金鑰都已存入系統鑰匙圈。</translation>
    </message>
    <message>
        <source>Paste the Hash Key and the IV Key, then press Save keys.</source>
        <translation>請貼上 Hash Key 與 IV Key，再按「儲存金鑰」。</translation>
    </message>
    <message>
        <source>Each key is 16 characters long: copy both from SurveyCake.</source>
        <translation>每把金鑰都是 16 個字元：請從 SurveyCake 複製兩把金鑰。</translation>
    </message>
</context>
<context>
    <name>TemplatePreviewLabel</name>
    <message>
        <source>Choose a sample event on the trigger card to see a preview.</source>
        <translation>在觸發條件卡片上選擇範例事件，就能看到預覽。</translation>
    </message>
    <message>
        <source>Uses what an earlier card gives: press Run test to see it.</source>
        <translation>這裡會用到前面動作產出的內容：按「執行測試」即可查看。</translation>
    </message>
    <message>
        <source>Preview: {text}</source>
        <translation>預覽：{text}</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空白）</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Open Bellhop</source>
        <translation>開啟 Bellhop</translation>
    </message>
    <message>
        <source>Pause all rules</source>
        <translation>暫停所有規則</translation>
    </message>
    <message>
        <source>Copy the web address of a rule</source>
        <translation>複製規則的網址</translation>
    </message>
    <message>
        <source>Quit Bellhop</source>
        <translation>結束 Bellhop</translation>
    </message>
    <message>
        <source>Bellhop: paused. Deliveries are kept and run when you resume.</source>
        <translation>Bellhop：已暫停。收到的傳送會先保留，按「繼續」後再執行。</translation>
    </message>
    <message>
        <source>Resume all rules</source>
        <translation>繼續所有規則</translation>
    </message>
    <message>
        <source>Bellhop: running</source>
        <translation>Bellhop：執行中</translation>
    </message>
    <message>
        <source>Bellhop could not do that. Open the window to see what is going on.</source>
        <translation>Bellhop 無法完成這個操作。請開啟視窗查看發生了什麼事。</translation>
    </message>
    <message>
        <source>Bellhop</source>
        <translation>Bellhop</translation>
    </message>
    <message>
        <source>No rules yet</source>
        <translation>還沒有規則</translation>
    </message>
    <message>
        <source>{name} (off)</source>
        <translation>{name}（已關閉）</translation>
    </message>
    <message>
        <source>{file} has a mistake</source>
        <translation>{file} 有錯誤</translation>
    </message>
    <message>
        <source>Your webhook addresses changed — update them in Shopify/LINE</source>
        <translation>您的 Webhook 網址已變更，請到 Shopify／LINE 更新</translation>
    </message>
    <message>
        <source>{count} more notices. The latest: {text}</source>
        <translation>還有 {count} 則通知。最新一則：{text}</translation>
    </message>
    <message>
        <source>New event</source>
        <translation>新事件</translation>
    </message>
    <message>
        <source>“{rule}” received an event. Click to see it.</source>
        <translation>「{rule}」收到一個事件。按一下即可查看。</translation>
    </message>
    <message>
        <source>{count} new events</source>
        <translation>{count} 筆新事件</translation>
    </message>
    <message>
        <source>and {count} more rules</source>
        <translation>以及其他 {count} 條規則</translation>
    </message>
    <message>
        <source>{rules}. Click to see the latest.</source>
        <translation>{rules}。按一下查看最新的事件。</translation>
    </message>
    <message>
        <source>“{rule}” failed</source>
        <translation>「{rule}」執行失敗</translation>
    </message>
    <message>
        <source>Click to see what happened.</source>
        <translation>按一下查看發生了什麼事。</translation>
    </message>
    <message>
        <source>{count} runs failed</source>
        <translation>{count} 次執行失敗</translation>
    </message>
    <message>
        <source>The latest, “{rule}”: {error}</source>
        <translation>最近一次是「{rule}」：{error}</translation>
    </message>
    <message>
        <source>Bellhop is still running</source>
        <translation>Bellhop 仍在執行</translation>
    </message>
    <message>
        <source>Bellhop keeps running here and answers your webhooks; Quit from this menu.</source>
        <translation>Bellhop 會在這裡繼續執行、接收您的 Webhook；要結束請從這個選單選擇「結束」。</translation>
    </message>
</context>
<context>
    <name>TriggerCardWidget</name>
    <message>
        <source>When a webhook arrives</source>
        <translation>收到 Webhook 時</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Copy the address, then paste it into the service&apos;s webhook settings</source>
        <translation>複製網址，再貼到服務的 Webhook 設定中</translation>
    </message>
    <message>
        <source>⚠ This address changed. Copy it and paste it into the service&apos;s webhook settings again.</source>
        <translation>⚠ 這個網址已變更。請複製它，再重新貼到該服務的 webhook 設定中。</translation>
    </message>
    <message>
        <source>(the address appears once Bellhop listens)</source>
        <translation>（Bellhop 開始等候 Webhook 後就會顯示網址）</translation>
    </message>
    <message>
        <source>Sample event: {name}</source>
        <translation>範例事件：{name}</translation>
    </message>
    <message>
        <source>No sample event yet: choose one in the panel on the right</source>
        <translation>還沒有範例事件：請在右側面板選擇一個</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已複製</translation>
    </message>
</context>
<context>
    <name>TriggerInspector</name>
    <message>
        <source>Web address</source>
        <translation>網址</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Paste this address into the service&apos;s webhook settings (in Shopify: Settings › Notifications › Webhooks).</source>
        <translation>把這個網址貼到服務的 Webhook 設定中（Shopify 的位置：設定 › 通知 › Webhook）。</translation>
    </message>
    <message>
        <source>Sample event</source>
        <translation>範例事件</translation>
    </message>
    <message>
        <source>Listen for a test event</source>
        <translation>等候測試事件</translation>
    </message>
    <message>
        <source>Use a sample</source>
        <translation>使用範例</translation>
    </message>
    <message>
        <source>Check the sender</source>
        <translation>驗證傳送者</translation>
    </message>
    <message>
        <source>No check (anyone with the address can send)</source>
        <translation>不驗證（任何知道網址的人都能傳送）</translation>
    </message>
    <message>
        <source>Standard Webhooks (whsec_…)</source>
        <translation>Standard Webhooks（whsec_…）</translation>
    </message>
    <message>
        <source>User name and password</source>
        <translation>使用者名稱和密碼</translation>
    </message>
    <message>
        <source>A secret header</source>
        <translation>秘密標頭</translation>
    </message>
    <message>
        <source>Save secret</source>
        <translation>儲存密鑰</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>密鑰</translation>
    </message>
    <message>
        <source>Header name</source>
        <translation>標頭名稱</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>使用者名稱</translation>
    </message>
    <message>
        <source>Proves that each delivery really comes from the service.</source>
        <translation>確認每次傳送真的來自該服務。</translation>
    </message>
    <message>
        <source>Accept requests of these kinds</source>
        <translation>接受這些類型的請求</translation>
    </message>
    <message>
        <source>Services send POST; leave the others off unless the service&apos;s help says otherwise.</source>
        <translation>服務通常用 POST 傳送；除非服務的說明另有指示，其他類型請保持關閉。</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回應</translation>
    </message>
    <message>
        <source>Send my own reply</source>
        <translation>傳回自訂的回應</translation>
    </message>
    <message>
        <source>Status code</source>
        <translation>狀態碼</translation>
    </message>
    <message>
        <source>Reply text</source>
        <translation>回應內容</translation>
    </message>
    <message>
        <source>Otherwise Bellhop answers at once that the delivery arrived.</source>
        <translation>否則 Bellhop 會立即回覆已收到傳送。</translation>
    </message>
    <message>
        <source>Stop listening</source>
        <translation>停止等候</translation>
    </message>
    <message>
        <source>No sample yet. Listen for a real delivery, or start with one of Bellhop&apos;s samples.</source>
        <translation>還沒有範例。請等候一次真實的傳送，或先使用 Bellhop 提供的範例。</translation>
    </message>
    <message>
        <source>Using: {name}</source>
        <translation>使用中：{name}</translation>
    </message>
    <message>
        <source>the delivery received {when}</source>
        <translation>{when} 收到的傳送</translation>
    </message>
    <message>
        <source>your sample</source>
        <translation>您的範例</translation>
    </message>
    <message>
        <source>The signing secret shown under Shopify&apos;s webhook list</source>
        <translation>Shopify Webhook 清單下方顯示的簽署密鑰</translation>
    </message>
    <message>
        <source>The channel secret from the LINE Developers console</source>
        <translation>LINE Developers 主控台中的 Channel secret</translation>
    </message>
    <message>
        <source>The secret you typed when adding the webhook</source>
        <translation>新增 Webhook 時您輸入的密鑰</translation>
    </message>
    <message>
        <source>The endpoint&apos;s signing secret (whsec_…)</source>
        <translation>端點的簽署密鑰（whsec_…）</translation>
    </message>
    <message>
        <source>The signing secret of your Slack app</source>
        <translation>您 Slack App 的 Signing Secret</translation>
    </message>
    <message>
        <source>The secret starting with whsec_</source>
        <translation>以 whsec_ 開頭的密鑰</translation>
    </message>
    <message>
        <source>The password the service sends</source>
        <translation>服務傳送的密碼</translation>
    </message>
    <message>
        <source>The value the service puts in the header</source>
        <translation>服務放在標頭中的值</translation>
    </message>
    <message>
        <source>Saved in your system keychain.</source>
        <translation>已存入系統鑰匙圈。</translation>
    </message>
    <message>
        <source>No secret saved yet: deliveries will be turned away until you save it.</source>
        <translation>尚未儲存密鑰：儲存之前，所有傳送都會被拒絕。</translation>
    </message>
    <message>
        <source>Paste the secret first.</source>
        <translation>請先貼上密鑰。</translation>
    </message>
</context>
<context>
    <name>TunnelForm</name>
    <message>
        <source>Give my rules a public web address with ngrok</source>
        <translation>使用 ngrok 讓我的規則有公開網址</translation>
    </message>
    <message>
        <source>Paste your ngrok authtoken</source>
        <translation>貼上您的 ngrok authtoken</translation>
    </message>
    <message>
        <source>Where do I find it?</source>
        <translation>在哪裡可以找到？</translation>
    </message>
    <message>
        <source>optional, e.g. my-shop.ngrok-free.app</source>
        <translation>選填，例如 my-shop.ngrok-free.app</translation>
    </message>
    <message>
        <source>Get a free domain</source>
        <translation>取得免費網域</translation>
    </message>
    <message>
        <source>empty: Bellhop downloads it the first time</source>
        <translation>留空：Bellhop 會在第一次使用時下載</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選擇…</translation>
    </message>
    <message>
        <source>Save and connect</source>
        <translation>儲存並連線</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>立即重試</translation>
    </message>
    <message>
        <source>Nearest (automatic)</source>
        <translation>最近的（自動）</translation>
    </message>
    <message>
        <source>Asia / Pacific</source>
        <translation>亞太地區</translation>
    </message>
    <message>
        <source>Japan</source>
        <translation>日本</translation>
    </message>
    <message>
        <source>Australia</source>
        <translation>澳洲</translation>
    </message>
    <message>
        <source>India</source>
        <translation>印度</translation>
    </message>
    <message>
        <source>Europe</source>
        <translation>歐洲</translation>
    </message>
    <message>
        <source>United States</source>
        <translation>美國</translation>
    </message>
    <message>
        <source>South America</source>
        <translation>南美洲</translation>
    </message>
    <message>
        <source>Tunnel: a public web address</source>
        <translation>通道：公開網址</translation>
    </message>
    <message>
        <source>Shops, forms and chat bots on the internet cannot reach this computer by themselves. A free ngrok account gives your rules a public address; Bellhop keeps it open while it runs.</source>
        <translation>網路上的商店、表單和聊天機器人無法自行連到這台電腦。免費的 ngrok 帳號能讓您的規則有一個公開網址；Bellhop 執行期間會一直保持它開啟。</translation>
    </message>
    <message>
        <source>With a fixed domain your webhook addresses never change. Without one, they change each time Bellhop starts, and you must paste them into the services again.</source>
        <translation>使用固定網域，您的 webhook 網址就永遠不會改變。沒有固定網域時，每次 Bellhop 啟動網址都會改變，您必須再把網址貼到各個服務中。</translation>
    </message>
    <message>
        <source>Authtoken</source>
        <translation>Authtoken</translation>
    </message>
    <message>
        <source>Fixed domain</source>
        <translation>固定網域</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地區</translation>
    </message>
    <message>
        <source>ngrok program</source>
        <translation>ngrok 程式</translation>
    </message>
    <message>
        <source>Saved in the keychain. Paste a new one to replace it.</source>
        <translation>已保存在鑰匙圈中。貼上新的即可取代。</translation>
    </message>
    <message>
        <source>Choose the ngrok program</source>
        <translation>選擇 ngrok 程式</translation>
    </message>
    <message>
        <source>Paste your ngrok authtoken first: ngrok needs it to open a public address.</source>
        <translation>請先貼上您的 ngrok authtoken：ngrok 需要它才能開啟公開網址。</translation>
    </message>
    <message>
        <source>That does not look like an authtoken: copy the whole line from the ngrok dashboard.</source>
        <translation>這看起來不像 authtoken：請從 ngrok 控制台複製完整的一行。</translation>
    </message>
    <message>
        <source>The fixed domain looks like “my-shop.ngrok-free.app”: only the name, without a path.</source>
        <translation>固定網域的樣子像「my-shop.ngrok-free.app」：只填名稱，不要加路徑。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已儲存。</translation>
    </message>
    <message>
        <source>Saved. Your webhook addresses now work only on this computer.</source>
        <translation>已儲存。您的 webhook 網址現在只能在這台電腦上使用。</translation>
    </message>
    <message>
        <source>Open at {url}</source>
        <translation>已開啟：{url}</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>連線中…</translation>
    </message>
    <message>
        <source>The tunnel is not open.</source>
        <translation>通道尚未開啟。</translation>
    </message>
    <message>
        <source>Off: webhook addresses work only on this computer.</source>
        <translation>關閉：webhook 網址只能在這台電腦上使用。</translation>
    </message>
</context>
<context>
    <name>TunnelStatusChip</name>
    <message>
        <source>Check my URL</source>
        <translation>檢查我的網址</translation>
    </message>
    <message>
        <source>Send a request through the public address to Bellhop, to see that the internet can reach it.</source>
        <translation>透過公開網址送一個請求給 Bellhop，確認網際網路連得到它。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Copy the public address</source>
        <translation>複製公開網址</translation>
    </message>
    <message>
        <source>Set up…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <source>Give your rules a public web address</source>
        <translation>讓您的規則有一個公開網址</translation>
    </message>
    <message>
        <source>Public: {url}</source>
        <translation>公開網址：{url}</translation>
    </message>
    <message>
        <source>Shops, forms and chat bots on the internet can reach your rules at this address.</source>
        <translation>網際網路上的商店、表單和聊天機器人可以透過這個網址連到您的規則。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>連線中…</translation>
    </message>
    <message>
        <source>Bellhop is opening its public address.</source>
        <translation>Bellhop 正在開啟公開網址。</translation>
    </message>
    <message>
        <source>Tunnel down: {reason}</source>
        <translation>通道中斷：{reason}</translation>
    </message>
    <message>
        <source>The public address is not working; Bellhop tries again by itself. Your rules still work on this computer.</source>
        <translation>公開網址目前無法使用，Bellhop 會自動重試。您的規則在這台電腦上仍可運作。</translation>
    </message>
    <message>
        <source>Only on this computer</source>
        <translation>僅限這台電腦</translation>
    </message>
    <message>
        <source>There is no tunnel: webhook addresses only work on this computer, so services on the internet cannot reach them.</source>
        <translation>沒有開啟通道：Webhook 網址只能在這台電腦上使用，網際網路上的服務連不到。</translation>
    </message>
    <message>
        <source>Fix…</source>
        <translation>修正…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>檢查中…</translation>
    </message>
    <message>
        <source>Bellhop could not check the address. Try again in a moment.</source>
        <translation>Bellhop 無法檢查網址，請稍後再試。</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Undo</source>
        <translation>復原</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome to Bellhop</source>
        <translation>歡迎使用 Bellhop</translation>
    </message>
    <message>
        <source>Bellhop waits for web services (your shop, a form, a chat bot) to tell it that something happened, then runs the errands you chose: an email, a spreadsheet row, a call to another service. Three steps to your first rule:</source>
        <translation>Bellhop 會等網路服務（您的商店、表單、聊天機器人）通知它發生了什麼事，再替您跑您選好的差事：寄一封電子郵件、在試算表加一列、呼叫另一個服務。三個步驟完成第一條規則：</translation>
    </message>
    <message>
        <source>Skip for now</source>
        <translation>先略過</translation>
    </message>
    <message>
        <source>You can open this again from Help → Welcome…</source>
        <translation>之後可以從「說明 → 歡迎使用…」再次開啟。</translation>
    </message>
    <message>
        <source>Connect the tunnel</source>
        <translation>連接通道</translation>
    </message>
    <message>
        <source>Shops and forms on the internet need a public address to reach this computer. Bellhop makes one with ngrok; you need a free ngrok account.</source>
        <translation>網路上的商店和表單需要一個公開網址才能連到這台電腦。Bellhop 透過 ngrok 建立這個網址；您需要一個免費的 ngrok 帳號。</translation>
    </message>
    <message>
        <source>Set up the tunnel</source>
        <translation>設定通道</translation>
    </message>
    <message>
        <source>Pick a template</source>
        <translation>選一個範本</translation>
    </message>
    <message>
        <source>Start from a ready-made rule (a Shopify order → an email and a spreadsheet row, a website form → an email) and change what you like.</source>
        <translation>從現成的規則開始（Shopify 訂單 → 寄信並在試算表加一列、網站表單 → 寄信），再依需要修改。</translation>
    </message>
    <message>
        <source>New rule…</source>
        <translation>新增規則…</translation>
    </message>
    <message>
        <source>Send a test event</source>
        <translation>傳送測試事件</translation>
    </message>
    <message>
        <source>Bellhop listens for one delivery to your rule&apos;s address and keeps it as the sample; Run test then shows what each card would do.</source>
        <translation>Bellhop 會等候一次傳送到規則網址的事件，並把它存為範例事件；接著按「執行測試」就能看到每個動作會做什麼。</translation>
    </message>
    <message>
        <source>Listen for a test event</source>
        <translation>等候測試事件</translation>
    </message>
</context>
</TS>
