NC.data("search/terms/61-62",{"abdelmahdi":[28,78,155,275],"abdul":[28],"ability":[36,234,270],"about":[31,56,126,132,200,245,273,276]});
