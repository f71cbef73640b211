"""Demo documents: realistic Vietnamese papers on the demo agendas, uploaded through the rules.

Each paper is built here from its text (PDF with pypdf, DOCX with zipfile: no other tool),
written to the blob store's temporary folder and hashed on the way, checked by the upload
validation like any file a person sends, then uploaded and published by the secretariat. A
paper whose title the meeting already has is left alone, so loading twice changes nothing.

PDF text is ASCII-folded ("Điều 1. Phạm vi điều chỉnh" is written "Dieu 1. Pham vi dieu
chinh"): the standard PDF fonts, which every reader has, carry no Vietnamese letters, and
embedding a TrueType font would depend on fonts installed where the demo is loaded and on
subsetting code this project does not have. The DOCX files carry full Vietnamese.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from sqlmodel import Session, select

from meetings.agenda.access import FINISHED
from meetings.agenda.models import AgendaItem, Meeting
from meetings.archive.audit import Actor
from meetings.demo_meetings import month_after, month_name
from meetings.documents import actions, validation
from meetings.documents.models import Classification, Document, DocumentKind
from meetings.organisations.models import Body, Organisation
from meetings.storage.blobs import BlobStore, Received
from meetings.text import fold

# -- the papers' text ------------------------------------------------------------------
#
# One block a line, its style from its first characters:
#   "# " title  "= " centred bold  "^ " centred  "~ " centred italic  "## " heading
#   "> " right-aligned italic  "---" new page  anything else: a paragraph.


@dataclass(frozen=True)
class Dates:
    """The day the demo is loaded, the month reported on and the month of the meeting."""

    today: date
    report: date
    meeting: date

    @property
    def fields(self) -> dict[str, object]:
        return {
            "year": self.today.year,
            "day": self.today.day,
            "month": self.today.month,
            "report": month_name(self.report),
            "next": month_name(self.meeting),
        }


DECREE = """\
= CHÍNH PHỦ
^ Số:       /{year}/NĐ-CP
= CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
= Độc lập - Tự do - Hạnh phúc
> Hà Nội, ngày      tháng      năm {year}
= DỰ THẢO 3
# NGHỊ ĐỊNH
= Quy định chi tiết một số điều của Luật Căn cước về định danh và xác thực điện tử
~ Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
~ Căn cứ Luật Căn cước ngày 27 tháng 11 năm 2023;
~ Căn cứ Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023;
~ Căn cứ Luật Bảo vệ dữ liệu cá nhân ngày 26 tháng 6 năm 2025;
~ Theo đề nghị của Bộ trưởng Bộ Công an;
~ Chính phủ ban hành Nghị định quy định chi tiết một số điều của Luật Căn cước về định danh \
và xác thực điện tử.
---
# Chương I
= QUY ĐỊNH CHUNG
## Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết một số điều của Luật Căn cước về danh tính điện tử, tài khoản \
định danh điện tử; việc tạo lập, cấp, quản lý và sử dụng tài khoản định danh điện tử; xác thực \
điện tử; hệ thống định danh và xác thực điện tử và trách nhiệm của cơ quan, tổ chức, cá nhân \
trong hoạt động định danh và xác thực điện tử.
## Điều 2. Đối tượng áp dụng
1. Công dân Việt Nam; người gốc Việt Nam chưa xác định được quốc tịch đang sinh sống tại Việt Nam.
2. Người nước ngoài nhập cảnh vào Việt Nam, người nước ngoài cư trú tại Việt Nam.
3. Cơ quan, tổ chức được thành lập, đăng ký hoạt động tại Việt Nam.
4. Cơ quan, tổ chức, cá nhân có liên quan đến hoạt động định danh và xác thực điện tử.
## Điều 3. Giải thích từ ngữ
Trong Nghị định này, các từ ngữ dưới đây được hiểu như sau:
1. Danh tính điện tử là thông tin của một công dân Việt Nam, người nước ngoài hoặc cơ quan, tổ \
chức, được thể hiện dưới dạng dữ liệu điện tử, dùng để mô tả và phân biệt chủ thể danh tính \
điện tử đó với chủ thể danh tính điện tử khác.
2. Định danh điện tử là hoạt động đăng ký, đối chiếu, tạo lập và gắn danh tính điện tử với chủ \
thể danh tính điện tử.
3. Xác thực điện tử là hoạt động xác nhận, khẳng định thông tin của chủ thể danh tính điện tử \
thông qua việc khai thác thông tin từ hệ thống định danh và xác thực điện tử, Cơ sở dữ liệu \
quốc gia về dân cư và Cơ sở dữ liệu căn cước.
4. Tài khoản định danh điện tử là tập hợp gồm tên đăng nhập, mật khẩu hoặc hình thức xác thực \
khác do hệ thống định danh và xác thực điện tử tạo lập, dùng để truy cập các dịch vụ công trực \
tuyến và giao dịch điện tử.
5. Ứng dụng định danh quốc gia là ứng dụng trên thiết bị di động do Bộ Công an xây dựng, quản \
lý, dùng để cấp và sử dụng tài khoản định danh điện tử.
## Điều 4. Nguyên tắc định danh và xác thực điện tử
1. Tuân thủ Hiến pháp và pháp luật; bảo đảm quyền con người, quyền công dân, quyền và lợi ích \
hợp pháp của cơ quan, tổ chức, cá nhân.
2. Bảo đảm chính xác, kịp thời, công khai, minh bạch, thuận tiện cho người dân và doanh nghiệp.
3. Bảo vệ dữ liệu cá nhân; chỉ thu thập, xử lý thông tin cần thiết cho mục đích định danh và \
xác thực điện tử.
4. Chủ thể danh tính điện tử chịu trách nhiệm về tính chính xác của thông tin cung cấp và việc \
quản lý, sử dụng tài khoản định danh điện tử của mình.
## Điều 5. Các hành vi bị nghiêm cấm
1. Giả mạo danh tính điện tử; sử dụng danh tính điện tử của người khác để thực hiện giao dịch.
2. Chiếm đoạt, mua bán, thuê, cho thuê, mượn, cho mượn tài khoản định danh điện tử.
3. Truy cập trái phép, làm sai lệch, phá hoại hệ thống định danh và xác thực điện tử.
4. Lợi dụng hoạt động định danh và xác thực điện tử để xâm phạm lợi ích của Nhà nước, quyền và \
lợi ích hợp pháp của cơ quan, tổ chức, cá nhân.
---
# Chương II
= DANH TÍNH ĐIỆN TỬ VÀ TÀI KHOẢN ĐỊNH DANH ĐIỆN TỬ
## Điều 6. Danh tính điện tử của công dân Việt Nam
1. Thông tin nhân thân gồm: số định danh cá nhân; họ, chữ đệm và tên khai sinh; ngày, tháng, \
năm sinh; giới tính.
2. Thông tin sinh trắc học gồm: ảnh chân dung và vân tay, được thu nhận và đối chiếu với Cơ sở \
dữ liệu căn cước.
3. Thông tin khác được tích hợp theo đề nghị của công dân, như giấy phép lái xe, thẻ bảo hiểm y \
tế, sau khi được cơ quan quản lý chuyên ngành xác thực.
## Điều 7. Danh tính điện tử của cơ quan, tổ chức
Danh tính điện tử của cơ quan, tổ chức gồm mã định danh điện tử của tổ chức, tên gọi, địa chỉ \
trụ sở, ngày thành lập, mã số thuế và thông tin định danh của người đại diện theo pháp luật.
## Điều 8. Mức độ của tài khoản định danh điện tử
1. Tài khoản định danh điện tử mức độ 1 được tạo lập khi thông tin của công dân đã được đối \
chiếu với Cơ sở dữ liệu quốc gia về dân cư và ảnh chân dung được thu nhận qua ứng dụng.
2. Tài khoản định danh điện tử mức độ 2 được tạo lập khi thông tin sinh trắc học của công dân \
đã được thu nhận trực tiếp và đối chiếu với Cơ sở dữ liệu căn cước.
3. Tài khoản mức độ 2 có giá trị tương đương thẻ căn cước trong các giao dịch có yêu cầu xuất \
trình thẻ căn cước.
## Điều 9. Trình tự, thủ tục cấp tài khoản định danh điện tử
1. Công dân đề nghị cấp tài khoản qua Ứng dụng định danh quốc gia hoặc tại cơ quan quản lý căn \
cước nơi gần nhất.
2. Cơ quan quản lý căn cước kiểm tra, đối chiếu thông tin và trả kết quả trong thời hạn không \
quá 03 ngày làm việc đối với tài khoản mức độ 1 và không quá 05 ngày làm việc đối với tài \
khoản mức độ 2.
3. Trường hợp không đủ điều kiện cấp tài khoản, cơ quan quản lý căn cước thông báo bằng văn \
bản hoặc qua ứng dụng và nêu rõ lý do.
---
# Chương III
= XÁC THỰC ĐIỆN TỬ
## Điều 10. Các phương thức xác thực điện tử
1. Xác thực bằng tên đăng nhập và mật khẩu, kèm mã xác thực một lần gửi đến thiết bị đã đăng ký.
2. Xác thực bằng thông tin sinh trắc học được đối chiếu với Cơ sở dữ liệu căn cước.
3. Xác thực bằng thẻ căn cước gắn chíp điện tử qua thiết bị đọc chuyên dụng.
## Điều 11. Sử dụng tài khoản định danh điện tử trong giao dịch
1. Cơ quan, tổ chức cung cấp dịch vụ công trực tuyến phải chấp nhận tài khoản định danh điện tử \
thay cho việc xuất trình giấy tờ đã được tích hợp.
2. Việc khai thác thông tin của chủ thể danh tính điện tử chỉ được thực hiện khi có sự đồng ý \
của chủ thể, trừ trường hợp luật có quy định khác.
3. Nhật ký truy cập, khai thác thông tin được lưu trữ tối thiểu 05 năm.
## Điều 12. Khóa, mở khóa tài khoản định danh điện tử
1. Tài khoản bị khóa khi chủ thể đề nghị, khi có căn cứ xác định tài khoản bị chiếm đoạt hoặc \
theo yêu cầu của cơ quan tiến hành tố tụng.
2. Tài khoản được mở khóa khi lý do khóa không còn, sau khi chủ thể được xác thực lại.
---
# Chương IV
= BẢO ĐẢM AN NINH, AN TOÀN HỆ THỐNG ĐỊNH DANH VÀ XÁC THỰC ĐIỆN TỬ
## Điều 13. Bảo đảm an ninh, an toàn hệ thống
1. Hệ thống định danh và xác thực điện tử được bảo vệ theo cấp độ cao nhất của pháp luật về an \
toàn thông tin mạng.
2. Dữ liệu được mã hóa khi lưu trữ và khi truyền; được sao lưu định kỳ tại trung tâm dữ liệu dự \
phòng đặt tại địa điểm khác.
3. Sự cố an ninh mạng phải được báo cáo trong thời hạn 24 giờ kể từ khi phát hiện.
## Điều 14. Kết nối, chia sẻ dữ liệu
1. Hệ thống định danh và xác thực điện tử kết nối với Cổng Dịch vụ công quốc gia, hệ thống \
thông tin giải quyết thủ tục hành chính cấp bộ, cấp tỉnh và các cơ sở dữ liệu quốc gia.
2. Việc kết nối với hệ thống của tổ chức tín dụng, doanh nghiệp viễn thông và tổ chức khác được \
thực hiện trên cơ sở thỏa thuận bằng văn bản với Bộ Công an.
---
# Chương V
= ĐIỀU KHOẢN THI HÀNH
## Điều 15. Trách nhiệm của Bộ Công an
1. Xây dựng, quản lý, vận hành hệ thống định danh và xác thực điện tử và Ứng dụng định danh \
quốc gia.
2. Hướng dẫn, kiểm tra việc thực hiện Nghị định này; định kỳ hằng năm báo cáo Chính phủ.
## Điều 16. Trách nhiệm của các bộ, cơ quan ngang bộ và Ủy ban nhân dân cấp tỉnh
1. Rà soát, tái cấu trúc quy trình giải quyết thủ tục hành chính để sử dụng tài khoản định danh \
điện tử, hoàn thành trong năm {year}.
2. Bố trí kinh phí, nhân lực cho việc kết nối, chia sẻ dữ liệu theo quy định.
## Điều 17. Hiệu lực thi hành
1. Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm {next_year}.
2. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy \
ban nhân dân các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành Nghị định này.
> TM. CHÍNH PHỦ
> THỦ TƯỚNG
Nơi nhận: Ban Bí thư Trung ương Đảng; Thủ tướng, các Phó Thủ tướng Chính phủ; các bộ, cơ quan \
ngang bộ, cơ quan thuộc Chính phủ; HĐND, UBND các tỉnh, thành phố trực thuộc trung ương; Lưu: \
VT, PC.
"""

SUBMISSION = """\
= BỘ CÔNG AN
^ Số: 245/TTr-BCA
= CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
= Độc lập - Tự do - Hạnh phúc
> Hà Nội, ngày {day} tháng {month} năm {year}
# TỜ TRÌNH
= Về dự án Nghị định quy định chi tiết một số điều của Luật Căn cước về định danh và xác thực \
điện tử
^ Kính gửi: Chính phủ.
Thực hiện Chương trình công tác của Chính phủ năm {year}, Bộ Công an đã chủ trì, phối hợp với \
các bộ, cơ quan liên quan xây dựng dự thảo Nghị định quy định chi tiết một số điều của Luật Căn \
cước về định danh và xác thực điện tử. Bộ Công an kính trình Chính phủ dự án Nghị định như sau:
## I. SỰ CẦN THIẾT BAN HÀNH NGHỊ ĐỊNH
Luật Căn cước giao Chính phủ quy định chi tiết về danh tính điện tử, tài khoản định danh điện \
tử và xác thực điện tử. Sau hơn một năm thi hành, việc sử dụng tài khoản định danh điện tử đã \
mở rộng nhanh trong giải quyết thủ tục hành chính, song còn vướng mắc về mức độ tài khoản, trách \
nhiệm chấp nhận tài khoản của cơ quan cung cấp dịch vụ và việc bảo vệ dữ liệu cá nhân.
## II. MỤC ĐÍCH, QUAN ĐIỂM XÂY DỰNG NGHỊ ĐỊNH
1. Quy định đầy đủ, rõ ràng để tài khoản định danh điện tử thay thế giấy tờ trong giao dịch, \
giảm chi phí tuân thủ cho người dân và doanh nghiệp.
2. Bảo đảm an ninh, an toàn hệ thống và quyền riêng tư của công dân.
## III. QUÁ TRÌNH XÂY DỰNG DỰ THẢO NGHỊ ĐỊNH
Bộ Công an đã thành lập Ban soạn thảo, Tổ biên tập; đăng tải dự thảo trên Cổng Thông tin điện \
tử Chính phủ trong 60 ngày; lấy ý kiến các bộ, ngành, địa phương, Liên đoàn Thương mại và Công \
nghiệp Việt Nam; tiếp thu ý kiến thẩm định của Bộ Tư pháp.
## IV. BỐ CỤC VÀ NỘI DUNG CƠ BẢN CỦA DỰ THẢO NGHỊ ĐỊNH
Dự thảo Nghị định gồm 05 chương, 17 điều: quy định chung; danh tính điện tử và tài khoản định \
danh điện tử; xác thực điện tử; bảo đảm an ninh, an toàn hệ thống; điều khoản thi hành.
## V. NHỮNG VẤN ĐỀ XIN Ý KIẾN CHÍNH PHỦ
1. Thời hạn cấp tài khoản định danh điện tử mức độ 2 (dự thảo đề xuất không quá 05 ngày làm việc).
2. Thời gian lưu trữ nhật ký khai thác thông tin (dự thảo đề xuất tối thiểu 05 năm).
Bộ Công an kính trình Chính phủ xem xét, quyết định.
> BỘ TRƯỞNG
> Đặng Văn Hải
"""

CONFIDENTIAL = """\
= BỘ CÔNG AN
^ Số: 118/BC-BCA
= MẬT
# BÁO CÁO
= Đánh giá nguy cơ mất an ninh, an toàn thông tin của hệ thống định danh và xác thực điện tử
~ (Tài liệu trình diễn: nội dung giả định, không phải tài liệu thật.)
## 1. Tình hình
Trong {report}, hệ thống ghi nhận nhiều đợt dò quét, tấn công từ chối dịch vụ nhằm vào cổng xác \
thực; các đợt tấn công đều đã được ngăn chặn, không làm gián đoạn dịch vụ.
## 2. Đánh giá
Nguy cơ chủ yếu là lừa đảo chiếm đoạt tài khoản qua tin nhắn giả mạo và việc mua bán, cho thuê \
tài khoản định danh điện tử.
## 3. Kiến nghị
Đề nghị Chính phủ chỉ đạo các tổ chức tín dụng, doanh nghiệp viễn thông hoàn thành kết nối xác \
thực sinh trắc học trước ngày 31 tháng 12 năm {year}.
~ Tài liệu mật: chỉ thành viên Chính phủ được xem; không sao chụp, không chuyển tiếp.
"""

REPORT = """\
= BỘ TÀI CHÍNH
^ Số: 512/BC-BTC
= CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
= Độc lập - Tự do - Hạnh phúc
> Hà Nội, ngày {day} tháng {month} năm {year}
# BÁO CÁO
= Tình hình kinh tế - xã hội {report} và nhiệm vụ, giải pháp trọng tâm {next}
~ (Số liệu trong tài liệu trình diễn là số liệu giả định.)
Thực hiện chỉ đạo của Chính phủ, Thủ tướng Chính phủ, Bộ Tài chính tổng hợp, báo cáo tình hình \
kinh tế - xã hội {report} và đề xuất nhiệm vụ, giải pháp trọng tâm {next} như sau:
---
## I. KINH TẾ VĨ MÔ
1. Kinh tế vĩ mô tiếp tục ổn định, lạm phát được kiểm soát; chỉ số giá tiêu dùng bình quân tăng \
3,2% so với cùng kỳ năm trước, trong phạm vi mục tiêu Quốc hội đề ra.
2. Thị trường tiền tệ, ngoại hối ổn định; mặt bằng lãi suất cho vay tiếp tục giảm nhẹ; tín dụng \
toàn nền kinh tế tăng 9,8% so với cuối năm trước.
3. Thu ngân sách nhà nước lũy kế đạt 82,5% dự toán, chi ngân sách bảo đảm các nhiệm vụ chi quan \
trọng; bội chi, nợ công trong giới hạn cho phép.
---
## II. SẢN XUẤT, KINH DOANH
1. Sản xuất nông nghiệp ổn định; sản lượng lúa vụ hè thu ước tăng 1,4%; xuất khẩu nông, lâm, thủy \
sản tăng 12,1% so với cùng kỳ.
2. Chỉ số sản xuất công nghiệp tăng 8,6% so với cùng kỳ, trong đó công nghiệp chế biến, chế tạo \
tăng 9,7%.
3. Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng tăng 9,1%; khách quốc tế đến Việt Nam \
tăng 18,3% so với cùng kỳ.
4. Kim ngạch xuất khẩu tăng 14,5%; cán cân thương mại hàng hóa tiếp tục xuất siêu.
---
## III. ĐẦU TƯ VÀ PHÁT TRIỂN DOANH NGHIỆP
1. Giải ngân vốn đầu tư công lũy kế đạt 51,3% kế hoạch Thủ tướng Chính phủ giao, cao hơn cùng \
kỳ năm trước; một số bộ, cơ quan và địa phương giải ngân dưới mức bình quân cả nước.
2. Vốn đầu tư trực tiếp nước ngoài thực hiện ước đạt 15,4 tỷ đô la Mỹ, tăng 8,1%.
3. Có gần 24 nghìn doanh nghiệp thành lập mới và quay trở lại hoạt động trong tháng.
---
## IV. VĂN HÓA - XÃ HỘI, QUỐC PHÒNG, AN NINH VÀ ĐỐI NGOẠI
1. An sinh xã hội được bảo đảm; các chính sách hỗ trợ người có công, hộ nghèo được thực hiện \
đầy đủ, kịp thời.
2. Công tác chuẩn bị năm học mới được triển khai; dịch bệnh được kiểm soát.
3. Quốc phòng, an ninh được giữ vững; trật tự, an toàn xã hội được bảo đảm; hoạt động đối ngoại \
được triển khai đồng bộ, hiệu quả.
---
## V. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM {next_upper}
1. Tiếp tục ưu tiên thúc đẩy tăng trưởng gắn với giữ vững ổn định kinh tế vĩ mô, kiểm soát lạm \
phát và bảo đảm các cân đối lớn.
2. Đẩy mạnh giải ngân vốn đầu tư công; người đứng đầu chịu trách nhiệm về kết quả giải ngân của \
bộ, cơ quan, địa phương mình.
3. Hoàn thiện thể chế, tháo gỡ vướng mắc cho sản xuất, kinh doanh; đẩy mạnh chuyển đổi số và \
cung cấp dịch vụ công trực tuyến toàn trình.
4. Bảo đảm an sinh xã hội, chủ động phòng, chống thiên tai mùa mưa bão.
> BỘ TRƯỞNG
> Dương Văn Long
"""

PROVINCE_REPORT = """\
= ỦY BAN NHÂN DÂN TỈNH BÌNH AN
^ Sở Tài chính
> Bình An, ngày {day} tháng {month} năm {year}
# BÁO CÁO
= Tình hình kinh tế - xã hội, quốc phòng - an ninh {report}
~ (Số liệu trong tài liệu trình diễn là số liệu giả định.)
## I. KINH TẾ
1. Tổng sản phẩm trên địa bàn tỉnh ước tăng 7,4% so với cùng kỳ; thu ngân sách nhà nước trên \
địa bàn lũy kế đạt 78,6% dự toán.
2. Giải ngân vốn đầu tư công đạt 49,2% kế hoạch; các dự án giao thông trọng điểm bảo đảm tiến độ.
---
## II. VĂN HÓA - XÃ HỘI
Công tác chăm sóc sức khỏe nhân dân, an sinh xã hội được bảo đảm; các cơ sở y tế công lập duy \
trì khám, chữa bệnh ổn định.
## III. QUỐC PHÒNG - AN NINH
Quốc phòng, an ninh được giữ vững; trật tự, an toàn giao thông được bảo đảm.
---
## IV. NHIỆM VỤ TRỌNG TÂM {next_upper}
1. Tập trung giải ngân vốn đầu tư công; tháo gỡ vướng mắc về bồi thường, giải phóng mặt bằng.
2. Chủ động phòng, chống thiên tai; bảo đảm an sinh xã hội.
> KT. GIÁM ĐỐC
> PHÓ GIÁM ĐỐC
"""


def render(template: str, dates: Dates) -> str:
    fields = dates.fields
    fields["next_year"] = dates.today.year + 1
    fields["next_upper"] = str(fields["next"]).upper()
    return template.format(**fields)


# -- blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    font: str  # F1 regular, F2 bold, F3 italic
    size: float
    align: str  # left, center, right
    space: float  # points before the block


STYLES = {
    "# ": Style("F2", 13, "center", 10),
    "## ": Style("F2", 11, "left", 8),
    "= ": Style("F2", 11, "center", 2),
    "^ ": Style("F1", 11, "center", 2),
    "~ ": Style("F3", 11, "center", 2),
    "> ": Style("F3", 11, "right", 4),
}
TEXT = Style("F1", 11, "left", 4)
PAGE_BREAK = "---"


def blocks(text: str) -> list[tuple[Style | None, str]]:
    """(style, text) for each line; None is a page break. Longest markers are tried first."""
    found: list[tuple[Style | None, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.strip() == PAGE_BREAK:
            found.append((None, ""))
            continue
        marker = next((m for m in sorted(STYLES, key=len, reverse=True) if line.startswith(m)), "")
        found.append((STYLES[marker] if marker else TEXT, line[len(marker) :].strip()))
    return found


# -- PDF ---------------------------------------------------------------------------------

PAGE_W, PAGE_H = 595, 842  # A4, in points
LEFT, RIGHT, TOP, BOTTOM = 72, 60, 64, 72
LEADING = 1.4
FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Helvetica-Oblique"}
# Rough Helvetica advance widths (thousandths of the size): enough to wrap and centre.
NARROW, WIDE = set("iljtfrI.,;:'!|()[]/- "), set("mwMWOQGCDHNU")


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics, keeping the case: "Điều 1" -> "Dieu 1"."""
    folded = "".join(fold(ch).upper() if ch.isupper() else fold(ch) for ch in text)
    return folded.encode("ascii", "replace").decode("ascii")


def _width(text: str, style: Style) -> float:
    units = sum(
        300 if ch in NARROW else 850 if ch in WIDE else 680 if ch.isupper() else 560 for ch in text
    )
    return units * style.size / 1000 * (1.08 if style.font == "F2" else 1)


def _wrap(text: str, style: Style, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and _width(candidate, style) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


Line = tuple[float, float, Style, str]  # x, y, style, text


def layout(parts: list[tuple[Style | None, str]]) -> list[list[Line]]:
    """Lines placed on pages; a heading never ends a page."""
    width = PAGE_W - LEFT - RIGHT
    pages: list[list[Line]] = [[]]
    y = PAGE_H - TOP
    for style, text in parts:
        if style is None:
            if pages[-1]:
                pages.append([])
                y = PAGE_H - TOP
            continue
        wrapped = _wrap(ascii_fold(text), style, width)
        step = style.size * LEADING
        keep = step * (3 if style.font == "F2" and style.align == "left" else 1)
        if pages[-1]:
            y -= style.space
        if y - keep < BOTTOM and pages[-1]:
            pages.append([])
            y = PAGE_H - TOP
        for line in wrapped:
            if y - step < BOTTOM:
                pages.append([])
                y = PAGE_H - TOP
            y -= step
            room = width - _width(line, style)
            x = LEFT + {"left": 0, "center": room / 2, "right": room}[style.align]
            pages[-1].append((x, y, style, line))
    return pages


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(lines: list[Line], number: int, total: int) -> bytes:
    footer = f"Trang {number}/{total}"
    ops = [
        f"BT /{style.font} {style.size:g} Tf {x:.1f} {y:.1f} Td ({_escape(text)}) Tj ET"
        for x, y, style, text in lines
    ]
    ops.append(f"BT /F1 9 Tf {PAGE_W / 2 - 20:.1f} 40 Td ({footer}) Tj ET")
    return "\n".join(ops).encode("ascii")


def make_pdf(title: str, text: str) -> bytes:
    """A real A4 PDF with a text layer (standard fonts, ASCII-folded) and the title as metadata."""
    pages = layout(blocks(text))
    writer = PdfWriter()
    for number, lines in enumerate(pages, 1):
        page = writer.add_blank_page(width=PAGE_W, height=PAGE_H)
        fonts = DictionaryObject(
            {
                NameObject(f"/{key}"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Font"),
                        NameObject("/Subtype"): NameObject("/Type1"),
                        NameObject("/BaseFont"): NameObject(f"/{base}"),
                        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                    }
                )
                for key, base in FONTS.items()
            }
        )
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(_page_stream(lines, number, len(pages)))
        page.replace_contents(stream.flate_encode())
    writer.add_metadata({"/Title": title, "/Producer": "e-Cabinet demo"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- DOCX --------------------------------------------------------------------------------

_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_MAIN}"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{_CORE_REL}" Target="docProps/core.xml"/>'
    "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    "<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>{title}</dc:title><dc:creator>e-Cabinet demo</dc:creator>"
    "</cp:coreProperties>"
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
JUSTIFY = {"left": "both", "center": "center", "right": "right"}


def _paragraph(style: Style | None, text: str) -> str:
    if style is None:
        return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    size = round(style.size * 2.5)  # half-points: 11pt in the PDF is 14pt Times New Roman here
    marks = {"F2": "<w:b/>", "F3": "<w:i/>"}.get(style.font, "")
    spacing = f'<w:spacing w:before="{round(style.space * 20)}" w:after="60"/>'
    fonts = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'
    return (
        f'<w:p><w:pPr>{spacing}<w:jc w:val="{JUSTIFY[style.align]}"/></w:pPr>'
        f'<w:r><w:rPr>{fonts}{marks}<w:sz w:val="{size}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def make_docx(title: str, text: str) -> bytes:
    """A Word document in Times New Roman with full Vietnamese text."""
    body = "".join(_paragraph(style, line) for style, line in blocks(text))
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" '
        'w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}{section}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "docProps/core.xml": CORE.format(title=escape(title)),
        "word/document.xml": document,
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            # A fixed time stamp keeps the demo files byte-identical between loads.
            stamp = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
            archive.writestr(stamp, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- which papers go where ---------------------------------------------------------------

CAN_CUOC = "Dự thảo Nghị định quy định chi tiết một số điều của Luật Căn cước"
BCA, BTC = "Bộ Công an", "Bộ Tài chính"


@dataclass(frozen=True)
class Paper:
    """A document to attach to the agenda item whose title starts with `item`."""

    title: str
    filename: str
    kind: str
    agency: str
    item: str
    template: str
    classification: str = Classification.internal

    def content(self, dates: Dates) -> bytes:
        make = make_docx if self.filename.endswith(".docx") else make_pdf
        return make(self.title, render(self.template, dates))


def government_papers(dates: Dates) -> list[Paper]:
    report = month_name(dates.report)
    return [
        Paper(
            f"{CAN_CUOC} về định danh và xác thực điện tử",
            "Dự thảo Nghị định định danh và xác thực điện tử.pdf",
            DocumentKind.draft_decree,
            BCA,
            CAN_CUOC,
            DECREE,
        ),
        Paper(
            "Tờ trình số 245/TTr-BCA về dự án Nghị định quy định chi tiết một số điều của "
            "Luật Căn cước về định danh và xác thực điện tử",
            "Tờ trình 245-TTr-BCA.docx",
            DocumentKind.submission,
            BCA,
            CAN_CUOC,
            SUBMISSION,
        ),
        Paper(
            "Báo cáo mật về đánh giá nguy cơ mất an ninh, an toàn thông tin của hệ thống "
            "định danh và xác thực điện tử",
            "Báo cáo 118-BC-BCA (Mật).docx",
            DocumentKind.report,
            BCA,
            CAN_CUOC,
            CONFIDENTIAL,
            Classification.confidential,
        ),
        Paper(
            f"Báo cáo tình hình kinh tế - xã hội {report}",
            f"Báo cáo KT-XH {report}.pdf",
            DocumentKind.report,
            BTC,
            "Báo cáo tình hình kinh tế - xã hội",
            REPORT,
        ),
    ]


def province_papers(dates: Dates) -> list[Paper]:
    title = f"Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh {month_name(dates.report)}"
    return [
        Paper(
            title,
            "Báo cáo KT-XH, QP-AN của tỉnh.pdf",
            DocumentKind.report,
            "Sở Tài chính",
            "Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh",
            PROVINCE_REPORT,
        )
    ]


# -- loading -----------------------------------------------------------------------------


def write_temp(store: BlobStore, content: bytes) -> Received:
    """The bytes as a received upload: a file in the store's temporary folder, hashed."""
    digest = hashlib.sha256()
    handle = tempfile.NamedTemporaryFile(dir=store.temp_dir(), delete=False, prefix="demo-")  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            for start in range(0, len(content), 1 << 16):
                chunk = content[start : start + (1 << 16)]
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, digest.hexdigest(), len(content))


def _item_id(db: Session, meeting: Meeting, prefix: str) -> int | None:
    found = db.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all()
    return next((item.id for item in found if item.title.startswith(prefix)), None)


def _attach(
    db: Session, meeting: Meeting, paper: Paper, dates: Dates, store: BlobStore, actor: Actor
) -> Document:
    received = write_temp(store, paper.content(dates))
    try:
        inspected = validation.inspect(received.path, paper.filename)
        return actions.upload(
            db,
            meeting,
            actor=actor,
            store=store,
            received=received,
            inspected=inspected,
            title=paper.title,
            kind=paper.kind,
            classification=paper.classification,
            agency=paper.agency,
            item_id=_item_id(db, meeting, paper.item),
        )
    finally:
        received.path.unlink(missing_ok=True)  # already moved into the store unless it failed


def attach_papers(
    db: Session, meeting: Meeting, papers: Iterable[Paper], dates: Dates, store: BlobStore
) -> int:
    """Upload the papers the meeting lacks (by title) and publish them; how many were added."""
    if meeting.state in FINISHED:
        return 0
    actor = Actor(meeting.secretary_id, "demo", meeting.organisation_id)
    have = set(db.exec(select(Document.title).where(Document.meeting_id == meeting.id)).all())
    added = [
        _attach(db, meeting, paper, dates, store, actor)
        for paper in papers
        if paper.title not in have
    ]
    if added:
        actions.publish(db, meeting, added, actor=actor)
    return len(added)


PAPERS: dict[str, tuple[str, Callable[[Dates], list[Paper]]]] = {
    "Chính phủ": ("Phiên họp Chính phủ thường kỳ", government_papers),
    "Ủy ban nhân dân tỉnh": ("Phiên họp Ủy ban nhân dân tỉnh thường kỳ", province_papers),
}


def load_documents(db: Session, store: BlobStore, bodies: Iterable[Body]) -> int:
    """Papers for each body's next demo meeting (named as demo_meetings names it)."""
    added = 0
    for body in bodies:
        if body.name not in PAPERS:
            continue
        heading, papers = PAPERS[body.name]
        org = db.get(Organisation, body.organisation_id)
        today = datetime.now(ZoneInfo(org.timezone if org else "Asia/Ho_Chi_Minh")).date()
        dates = Dates(today, today.replace(day=1), month_after(today))
        title = f"{heading} {month_name(dates.meeting)}"
        meeting = db.exec(
            select(Meeting).where(Meeting.body_id == body.id, Meeting.title == title)
        ).first()
        if meeting is not None:
            added += attach_papers(db, meeting, papers(dates), dates, store)
    return added
