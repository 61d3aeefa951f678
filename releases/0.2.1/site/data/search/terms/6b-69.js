NC.data("search/terms/6b-69",{"killed":[52,53,57,278,279],"killing":[52,240]});
